package dev.vigil.agent.act;

import java.util.Locale;

/** How an action ended, as the server reads it: {@code succeeded}, {@code failed}, {@code refused}, {@code dry_run}. */
public enum ActionStatus {
    SUCCEEDED, FAILED, REFUSED, DRY_RUN;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ActionStatus fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
