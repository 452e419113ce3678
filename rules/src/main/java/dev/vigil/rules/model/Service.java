package dev.vigil.rules.model;

/**
 * A systemd unit the host's agent watches, as its last sample reported it. The session updates the fact only
 * when the state changes, so a rule on a failed service fires once per failure.
 */
public record Service(long hostId, String unit, String activeState, String subState) {
    /** A watched unit is meant to run: failed, or inactive, it is down. */
    public boolean down() {
        return activeState.equals("failed") || activeState.equals("inactive");
    }
}
