package dev.vigil.settings;

/**
 * A setting that cannot be used. The message is the one line the program prints before it exits with code 2,
 * naming the environment variable: {@code VIGIL_DRY_RUN must be true or false, not 'ture'}.
 */
public final class SettingsException extends IllegalArgumentException {
    public SettingsException(String message) {
        super(message);
    }
}
