package dev.vigil.server.gate;

import dev.vigil.server.store.Action;

/** The stage after the gate: carries out what the gate approved, once its record is stored. */
@FunctionalInterface
public interface Dispatch {
    /** Must return at once; the action runs elsewhere. */
    void approved(Action action);
}
