package dev.vigil.agent.act;

import java.util.UUID;

/**
 * The answer to one action request. {@code replayed} marks the answer to a repeated id: the first result again,
 * with nothing done a second time.
 */
public record ActionResult(UUID id, ActionStatus status, String detail, boolean replayed) {

    ActionResult(UUID id, Outcome outcome) {
        this(id, outcome.status(), outcome.detail(), false);
    }

    ActionResult asReplay() {
        return new ActionResult(id, status, detail, true);
    }
}
