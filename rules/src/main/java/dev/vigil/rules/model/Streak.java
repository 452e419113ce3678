package dev.vigil.rules.model;

import org.kie.api.definition.type.Role;
import org.kie.api.definition.type.Timestamp;

/**
 * A condition that has held on a host since {@code since}, kept by the rules themselves: one rule inserts it
 * when the condition starts, another deletes it when a sample breaks it, and a third asks for a sample at
 * least so long {@code after} it. {@code value} is the reading that started it (for "and rising").
 */
@Role(Role.Type.EVENT)
@Timestamp("since")
public record Streak(long hostId, String name, long since, double value) {
}
