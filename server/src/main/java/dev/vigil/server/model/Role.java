package dev.vigil.server.model;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user or token may do (DESIGN §3.3): a viewer reads; an operator also acknowledges, approves and rejects
 * restarts and kills, triggers manual actions and maintenance; an admin also manages hosts, rules, users, tokens
 * and approves reboots. {@link #PUBLIC} marks the few routes that need no identity.
 */
public enum Role {
    PUBLIC, VIEWER, OPERATOR, ADMIN;

    public boolean atLeast(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A role a user or token can have: viewer, operator or admin. */
    public static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role != PUBLIC && role.json().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
