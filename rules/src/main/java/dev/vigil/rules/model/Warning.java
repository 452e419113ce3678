package dev.vigil.rules.model;

/**
 * An intent: something an operator should know. While the fact is in the session its incident is open; a rule
 * that deletes it resolves the incident, and one that replaces it with another of the same key (a new severity
 * or message) updates the incident.
 *
 * @param kind     what is wrong: {@code cpu}, {@code memory}, {@code disk}, {@code service}, …
 * @param subject  which one, when a host has several (a mountpoint, a unit, a sensor), else empty
 * @param severity {@code warning} or {@code critical}
 */
public record Warning(long hostId, String kind, String subject, String severity, String message) {
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    /** Incidents are deduplicated by host and this key. */
    public String key() {
        return subject.isEmpty() ? kind : kind + ":" + subject;
    }
}
