package dev.vigil.telegram;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The messages of the commands, as HTML from the server's JSON. Every piece of user data (host, group, unit and
 * rule text, names) goes through {@link #user}, which bounds its length too, so that any one line fits a page.
 */
final class Views {
    /** Bounds of user data, before escaping (which makes a character at most 6): a host name is at most 255. */
    static final int NAME = 255;
    static final int SUBJECT = 100;
    static final int MESSAGE = 200;
    static final int REASON = 150;
    static final int SHORT = 64;
    static final int WORD = 32;
    private static final int MAX_DISKS = 12;
    private static final int MAX_SERVICES = 30;
    private static final int MAX_PROBES = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    static String help(Actor.Role role) {
        StringBuilder out = new StringBuilder("<b>Vigil</b> — what you may ask (as ").append(role.json())
                .append("):");
        for (Command command : Command.values()) {
            if (role.atLeast(command.needed()) && command != Command.START) {
                out.append("\n").append(Html.escape(command.usage())).append(" — ").append(command.description());
            }
        }
        return out.append("\nCommands work as /cmd@botname in groups too.").toString();
    }

    /** {@code GET /api/v1/stats}. */
    static String stats(JsonObject stats) {
        JsonObject hosts = stats.getJsonObject("hosts");
        JsonObject worst = stats.getJsonObject("worst");
        JsonObject incidents = stats.getJsonObject("incidents");
        List<String> lines = new ArrayList<>();
        lines.add("<b>Vigil fleet</b>");
        lines.add("Hosts: " + count(hosts, "total") + " — " + count(hosts, "up") + " up, " + count(hosts, "down")
                + " down, " + count(hosts, "unknown") + " unknown"
                + (count(hosts, "maintenance") > 0 ? " · " + count(hosts, "maintenance") + " in maintenance" : ""));
        lines.add("Worst CPU: " + worst(worst.get("cpu"), "%"));
        lines.add("Worst memory: " + worst(worst.get("memory"), "%"));
        lines.add("Worst disk: " + worst(worst.get("disk"), "%"));
        lines.add("Worst load: " + worst(worst.get("load"), ""));
        lines.add("Open incidents: " + count(incidents, "critical") + " critical, " + count(incidents, "warning")
                + " warning");
        lines.add("Pending approvals: " + stats.getJsonNumber("pending_approvals").longValue());
        if (stats.getBoolean("dry_run", false)) {
            lines.add("<i>Dry run is on: Vigil decides and records, and does not act.</i>");
        }
        return String.join("\n", lines);
    }

    /** {@code GET /api/v1/hosts/{id}/latest} and the host's open incidents. */
    static String host(JsonObject latest, List<JsonObject> incidents) {
        List<String> lines = new ArrayList<>();
        lines.add("<b>" + user(latest, "name", NAME) + "</b> — " + user(latest, "status", SHORT));
        if (latest.get("last_poll") instanceof JsonObject poll) {
            lines.add("Last poll: " + time(poll.get("at")) + ", " + user(poll, "outcome", SHORT)
                    + (poll.get("detail") instanceof JsonString detail && !detail.getString().isBlank()
                    ? " (" + user(detail.getString(), SHORT) + ")" : ""));
        }
        if (!(latest.get("snapshot") instanceof JsonObject snapshot)) {
            lines.add("No readings from its agent yet.");
        } else {
            lines.add(readings(snapshot));
            disks(snapshot, lines);
            services(snapshot, lines);
            probes(snapshot, lines);
        }
        lines.add(incidents.isEmpty() ? "No open incidents." : "<b>Open incidents (" + incidents.size() + ")</b>");
        incidents.forEach(incident -> lines.add(incident(incident, false)));
        return Pages.fit(lines);
    }

    private static String readings(JsonObject snapshot) {
        String cpu = snapshot.get("cpu") instanceof JsonObject c ? number(c.get("percent"), "%") : "—";
        String load = snapshot.get("cpu") instanceof JsonObject c && c.get("load_avg") instanceof jakarta.json.JsonArray
                a && !a.isEmpty() ? number(a.get(0), "") : "—";
        String memory = snapshot.get("virtual_memory") instanceof JsonObject m ? number(m.get("percent"), "%") : "—";
        String swap = snapshot.get("swap_memory") instanceof JsonObject s ? number(s.get("percent"), "%") : "—";
        return "CPU " + cpu + " · memory " + memory + " · swap " + swap + " · load " + load;
    }

    private static void disks(JsonObject snapshot, List<String> lines) {
        List<JsonObject> disks = list(snapshot, "disk_usage");
        if (!disks.isEmpty()) {
            lines.add("Disks: " + disks.stream().limit(MAX_DISKS)
                    .map(d -> user(d, "mountpoint", SHORT) + " " + number(d.get("percent"), "%"))
                    .collect(Collectors.joining(" · ")) + more(disks.size(), MAX_DISKS));
        }
    }

    private static void services(JsonObject snapshot, List<String> lines) {
        List<JsonObject> services = list(snapshot, "services");
        if (!services.isEmpty()) {
            lines.add("Services:");
            services.stream().limit(MAX_SERVICES).forEach(s -> lines.add(
                    ("active".equals(s.getString("active_state", "")) ? "✅ " : "❌ ") + user(s, "unit", SHORT) + " "
                            + user(s, "active_state", SHORT) + " (" + user(s, "sub_state", SHORT) + ")"));
            if (services.size() > MAX_SERVICES) {
                lines.add(more(services.size(), MAX_SERVICES));
            }
        }
    }

    private static void probes(JsonObject snapshot, List<String> lines) {
        List<JsonObject> probes = list(snapshot, "probes");
        if (!probes.isEmpty()) {
            lines.add("Probes:");
            probes.stream().limit(MAX_PROBES).forEach(p -> lines.add(p.getBoolean("ok", false)
                    ? "✅ " + user(p, "name", SHORT)
                    : "❌ " + user(p, "name", SHORT) + ": " + user(p, "error", SHORT) + " ("
                    + (p.get("consecutive_failures") instanceof JsonNumber n ? n.longValue() : 0) + " in a row)"));
            if (probes.size() > MAX_PROBES) {
                lines.add(more(probes.size(), MAX_PROBES));
            }
        }
    }

    /** The header of {@code /warn}: counts by severity of {@code GET /api/v1/warnings}. */
    static String warningsHeader(List<JsonObject> warnings) {
        if (warnings.isEmpty()) {
            return "<b>No open warnings.</b> All clear.";
        }
        Map<String, Long> bySeverity = warnings.stream()
                .collect(Collectors.groupingBy(w -> w.getString("severity", "?"), Collectors.counting()));
        return "<b>Open warnings</b>: " + bySeverity.getOrDefault("critical", 0L) + " critical, "
                + bySeverity.getOrDefault("warning", 0L) + " warning";
    }

    /** One incident; with its host's name when {@code withHost} (the incident of {@code /warnings} carries it). */
    static String incident(JsonObject incident, boolean withHost) {
        String severity = incident.getString("severity", "");
        String state = incident.getString("state", "");
        return ("critical".equals(severity) ? "🔴" : "🟠") + " <b>#" + incident.getJsonNumber("id").longValue()
                + "</b> " + user(severity, WORD)
                + (withHost ? " · <b>" + user(incident, "host", NAME) + "</b>" : "")
                + " · " + user(incident, "subject", SUBJECT) + ": " + user(incident, "message", MESSAGE)
                + ("acknowledged".equals(state) ? " <i>(acknowledged by " + user(incident, "acknowledged_by", WORD)
                + ")</i>" : "");
    }

    /** The header of {@code /hosts}. */
    static String hostsHeader(List<JsonObject> hosts) {
        Map<String, Long> byStatus = hosts.stream()
                .collect(Collectors.groupingBy(h -> h.getString("status", "unknown"), Collectors.counting()));
        return "<b>Hosts</b>: " + hosts.size() + " — " + byStatus.getOrDefault("up", 0L) + " up, "
                + byStatus.getOrDefault("down", 0L) + " down, " + byStatus.getOrDefault("unknown", 0L) + " unknown";
    }

    static String hostLine(JsonObject host) {
        String status = host.getString("status", "unknown");
        return switch (status) {
            case "up" -> "🟢";
            case "down" -> "🔴";
            default -> "⚪";
        } + " <b>" + user(host, "name", NAME) + "</b> " + user(status, WORD)
                + (host.get("group") instanceof JsonString group ? " · group " + user(group.getString(), NAME) : "");
    }

    /** The header of {@code /actions}. */
    static String actionsHeader(List<JsonObject> actions) {
        return actions.isEmpty() ? "<b>No actions wait for an approval.</b>"
                : "<b>Waiting for an approval</b>: " + actions.size();
    }

    /** A pending action; {@code hostName} from the hosts list (the action has only its id). */
    static String actionLine(JsonObject action, String hostName) {
        return "<code>" + user(action, "id", 36) + "</code>\n  " + user(action, "type", WORD) + " "
                + user(action, "target", SUBJECT) + " on <b>" + user(hostName, NAME) + "</b> — "
                + user(action, "reason", REASON) + " <i>(by " + user(action, "requested_by", WORD) + ", "
                + time(action.get("created_at")) + ")</i>";
    }

    /** A time of the API ({@code 2026-11-22T10:00:00Z}) as {@code 2026-11-22 10:00 UTC}. */
    static String time(JsonValue value) {
        if (!(value instanceof JsonString text)) {
            return "—";
        }
        try {
            return TIME.format(Instant.parse(text.getString()));
        } catch (DateTimeParseException e) {
            return user(text.getString(), SHORT);
        }
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** {@code 2d}, {@code 1h}, {@code 90m}: in the largest unit that holds it whole (minutes at least). */
    static String duration(Duration duration) {
        if (duration.toMinutes() % (24 * 60) == 0) {
            return duration.toDays() + "d";
        }
        return duration.toMinutes() % 60 == 0 ? duration.toHours() + "h" : duration.toMinutes() + "m";
    }

    /** User data, escaped, and cut to {@code max} characters. */
    static String user(String text, int max) {
        if (text == null) {
            return "";
        }
        return Html.escape(text.length() <= max ? text : text.substring(0, max) + "…");
    }

    static String user(JsonObject json, String key, int max) {
        return json.get(key) instanceof JsonString text ? user(text.getString(), max) : "—";
    }

    private static String worst(JsonValue entry, String unit) {
        if (!(entry instanceof JsonObject worst)) {
            return "—";
        }
        return "<b>" + user(worst, "host", NAME) + "</b> " + number(worst.get("value"), unit)
                + (worst.get("mount") instanceof JsonString mount ? " (" + user(mount.getString(), SHORT) + ")" : "");
    }

    private static String number(JsonValue value, String unit) {
        return value instanceof JsonNumber n ? String.format(Locale.ROOT, "%.1f%s", n.doubleValue(), unit) : "—";
    }

    private static long count(JsonObject counts, String key) {
        return counts.get(key) instanceof JsonNumber n ? n.longValue() : 0;
    }

    private static List<JsonObject> list(JsonObject json, String key) {
        return json.get(key) instanceof jakarta.json.JsonArray array ? Args.objects(array) : List.of();
    }

    private static String more(int size, int shown) {
        return size > shown ? " … and " + (size - shown) + " more" : "";
    }
}
