package dev.vigil.server.events;

import java.util.List;

/** A new rule set runs ({@code rules_reloaded}): its files and rules. */
public record RulesLoaded(List<String> files, int rules) {
}
