package dev.vigil.telegram;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.settings.Durations;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Reading what a user typed: the command line, ids, durations and host or group names. */
final class Args {
    static final Duration MIN_MUTE = Duration.ofMinutes(1);
    static final Duration MAX_MUTE = Duration.ofDays(7);
    /** The first hex digits of an action id, as {@code /actions} shows them, are enough to name it. */
    static final int MIN_ACTION_PREFIX = 6;
    private static final Pattern COMMAND = Pattern.compile("/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?");
    private static final Pattern INCIDENT = Pattern.compile("#?([0-9]{1,18})");
    private static final Pattern ACTION_PREFIX = Pattern.compile("[0-9a-f-]{" + MIN_ACTION_PREFIX + ",36}");

    /** A command as typed: its word (lower case, no slash, no {@code @bot}) and its arguments. */
    record Line(String command, List<String> arguments) {
    }

    /** How an action is named: its whole id, or the first digits of it. */
    sealed interface ActionRef {
        record Whole(UUID id) implements ActionRef {
        }

        record Prefix(String digits) implements ActionRef {
        }
    }

    private Args() {
    }

    /**
     * The command of a message, or empty when it is no command or one for another bot ({@code /stats@other_bot} in
     * a group); {@code botUsername} is empty until the bot knows its name, and then takes every {@code @name}.
     */
    static Optional<Line> line(String text, Optional<String> botUsername) {
        if (text == null) {
            return Optional.empty();
        }
        List<String> words = List.of(text.strip().split("\\s+"));
        Matcher command = COMMAND.matcher(words.getFirst());
        if (!command.matches()) {
            return Optional.empty();
        }
        String addressee = command.group(2);
        if (addressee != null && botUsername.isPresent() && !addressee.equalsIgnoreCase(botUsername.get())) {
            return Optional.empty();
        }
        return Optional.of(new Line(command.group(1).toLowerCase(Locale.ROOT), words.subList(1, words.size())));
    }

    /** {@code 30m}, {@code 2h}, {@code 1d} (any of the settings' forms) from 1 minute to 7 days. */
    static Optional<Duration> muteDuration(String text) {
        return Durations.parse(text)
                .filter(d -> d.compareTo(MIN_MUTE) >= 0 && d.compareTo(MAX_MUTE) <= 0);
    }

    /** {@code 7} or {@code #7}. */
    static OptionalLong incidentId(String text) {
        Matcher id = INCIDENT.matcher(text);
        if (!id.matches()) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(id.group(1));
        return value >= 1 ? OptionalLong.of(value) : OptionalLong.empty();
    }

    /** A whole action id, or at least its first {@value #MIN_ACTION_PREFIX} characters (any case). */
    static Optional<ActionRef> actionRef(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        try {
            UUID id = UUID.fromString(lower);
            if (id.toString().equals(lower)) {
                return Optional.of(new ActionRef.Whole(id));
            }
        } catch (IllegalArgumentException notWhole) {
            // perhaps its first digits
        }
        return ACTION_PREFIX.matcher(lower).matches() ? Optional.of(new ActionRef.Prefix(lower)) : Optional.empty();
    }

    /** The host named so (any case), else the one with that id; {@code hosts} as {@code GET /api/v1/hosts}. */
    static Optional<JsonObject> host(List<JsonObject> hosts, String nameOrId) {
        Optional<JsonObject> byName = hosts.stream()
                .filter(h -> h.getString("name", "").equalsIgnoreCase(nameOrId)).findFirst();
        if (byName.isPresent() || !nameOrId.matches("[0-9]{1,18}")) {
            return byName;
        }
        long id = Long.parseLong(nameOrId);
        return hosts.stream().filter(h -> h.getJsonNumber("id").longValue() == id).findFirst();
    }

    /** The group of that name (any case) as the hosts spell it, or empty when no host is in it. */
    static Optional<String> group(List<JsonObject> hosts, String name) {
        return hosts.stream().map(h -> h.get("group")).filter(g -> g instanceof JsonString)
                .map(g -> ((JsonString) g).getString()).filter(g -> g.equalsIgnoreCase(name)).findFirst();
    }

    /** Only objects: what a list answer of the server holds. */
    static List<JsonObject> objects(JsonValue list) {
        return list.asJsonArray().stream().filter(v -> v instanceof JsonObject).map(JsonValue::asJsonObject).toList();
    }
}
