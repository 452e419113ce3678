package dev.vigil.rules.model;

import org.kie.api.definition.type.Role;
import org.kie.api.definition.type.Timestamp;

/** Present while the host misses its polls: since when (epoch milliseconds), and the last poll's failure. */
@Role(Role.Type.EVENT)
@Timestamp("since")
public record HostDown(long hostId, long since, String reason) {
}
