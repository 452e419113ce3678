package dev.vigil.telegram;

/**
 * A Telegram user the bot acts for, with the role Vigil gives them (from {@code VIGIL_TELEGRAM_USERS} or the admin
 * panel). The server runs such a call as {@code telegram:<id>} with the lower of this role and the bot token's.
 */
public record Actor(long userId, Role role) {
    /** What a Telegram user may do in Vigil, as the server's roles. */
    public enum Role {
        VIEWER, OPERATOR, ADMIN;

        public boolean atLeast(Role needed) {
            return ordinal() >= needed.ordinal();
        }

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The role named {@code viewer}, {@code operator} or {@code admin}, or empty. */
        public static java.util.Optional<Role> parse(String value) {
            for (Role role : values()) {
                if (role.json().equals(value)) {
                    return java.util.Optional.of(role);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
