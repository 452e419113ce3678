package dev.vigil.rules;

/** A compiler message about a DRL file: where (1-based line and column; 0 when Drools does not say) and what. */
public record Problem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
