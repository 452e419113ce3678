package dev.vigil.server.gate;

import java.time.Instant;
import java.util.Optional;

import dev.vigil.server.store.ActionStore;
import dev.vigil.server.store.MaintenanceStore;

/** The gate's questions answered from the database. */
public record StoredHistory(ActionStore actions, MaintenanceStore maintenance) implements History {
    @Override
    public long actionsOnTarget(long hostId, String type, String target, Instant since) {
        return actions.countForTarget(hostId, type, target, since);
    }

    @Override
    public long reboots(long hostId, Instant since) {
        return actions.countReboots(hostId, since);
    }

    @Override
    public long groupReboots(String group, long exceptHostId, Instant since) {
        return actions.countGroupReboots(group, exceptHostId, since);
    }

    @Override
    public boolean inMaintenance(long hostId, Optional<String> group, Instant at) {
        return maintenance.covers(hostId, group, at);
    }
}
