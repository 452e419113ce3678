package dev.vigil.telegram;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewsTest {
    private static final String HOSTILE = "<b>x</b><a href=\"https://evil\">&amp;";

    private static JsonObject json(String text) {
        return ServerApi.JSON.createReader(new StringReader(text)).readObject();
    }

    /** The worst a field can be: every character one that escapes to six. */
    private static String worst(int length) {
        return "\"".repeat(length);
    }

    private static JsonObject incident(long id, String host, String subject, String message) {
        return ServerApi.JSON.createObjectBuilder().add("id", id).add("host_id", 1).add("host", host)
                .add("severity", "critical").add("state", "acknowledged").add("subject", subject)
                .add("message", message).add("acknowledged_by", worst(200)).build();
    }

    private static JsonObject action(String target, String reason) {
        return ServerApi.JSON.createObjectBuilder().add("id", UUID.randomUUID().toString()).add("host_id", 1)
                .add("type", "restart_service").add("target", target).add("reason", reason)
                .add("requested_by", worst(300)).add("created_at", "2030-01-02T03:04:05Z").build();
    }

    @Test
    void hostileNamesAreShownAsWritten() {
        String line = Views.incident(incident(7, HOSTILE, HOSTILE, HOSTILE), true);
        assertFalse(line.contains("<a"), line);
        assertFalse(line.contains("<b>x"), line);
        assertTrue(line.contains("&lt;b&gt;x&lt;/b&gt;&lt;a href=&quot;https://evil&quot;&gt;&amp;amp;"), line);
        JsonObject host = ServerApi.JSON.createObjectBuilder().add("id", 1).add("name", HOSTILE).add("group", HOSTILE)
                .add("status", "<i>up").build();
        assertFalse(Views.hostLine(host).contains("<a"));
        assertFalse(Views.hostLine(host).contains("<i>up"));
        assertFalse(Views.actionLine(action(HOSTILE, HOSTILE), HOSTILE).contains("<a"));
    }

    @Test
    void stats() {
        String text = Views.stats(json("""
                {"generated_at": "2030-01-01T00:00:00Z", "dry_run": true,
                 "hosts": {"total": 12, "up": 10, "down": 1, "unknown": 1, "maintenance": 2},
                 "worst": {"cpu": {"host_id": 3, "host": "db<1>", "value": 97.5}, "memory": null, "load": null,
                           "disk": {"host_id": 4, "host": "web-2", "value": 91.0, "mount": "/var"}},
                 "incidents": {"critical": 1, "warning": 4}, "pending_approvals": 2,
                 "actions_24h": {"by_outcome": {}, "median_recovery_seconds": null}}
                """));
        assertTrue(text.contains("Hosts: 12 — 10 up, 1 down, 1 unknown · 2 in maintenance"), text);
        assertTrue(text.contains("Worst CPU: <b>db&lt;1&gt;</b> 97.5%"), text);
        assertTrue(text.contains("Worst memory: —"), text);
        assertTrue(text.contains("Worst disk: <b>web-2</b> 91.0% (/var)"), text);
        assertTrue(text.contains("Open incidents: 1 critical, 4 warning"), text);
        assertTrue(text.contains("Pending approvals: 2"), text);
        assertTrue(text.contains("Dry run is on"), text);
    }

    @Test
    void oneHost() {
        JsonObject latest = json("""
                {"host_id": 1, "name": "web-1", "status": "up", "consecutive_failures": 0,
                 "last_poll": {"at": "2030-01-02T03:04:05Z", "outcome": "ok", "detail": null, "latency_ms": 3},
                 "received_at": "2030-01-02T03:04:05Z",
                 "snapshot": {"cpu": {"percent": 12.5, "load_avg": [0.42, 0.3, 0.2]},
                              "virtual_memory": {"percent": 41.0}, "swap_memory": {"percent": 0},
                              "disk_usage": [{"mountpoint": "/", "percent": 63.2}],
                              "services": [{"unit": "nginx.service", "active_state": "failed", "sub_state": "failed"},
                                           {"unit": "<script>", "active_state": "active", "sub_state": "running"}],
                              "probes": [{"name": "redis", "ok": false, "error": "connection refused",
                                          "consecutive_failures": 3}]}}
                """);
        String text = Views.host(latest, List.of(incident(7, "web-1", "nginx.service", "down")));
        assertTrue(text.startsWith("<b>web-1</b> — up\nLast poll: 2030-01-02 03:04 UTC, ok"), text);
        assertTrue(text.contains("CPU 12.5% · memory 41.0% · swap 0.0% · load 0.4"), text);
        assertTrue(text.contains("Disks: / 63.2%"), text);
        assertTrue(text.contains("❌ nginx.service failed (failed)"), text);
        assertTrue(text.contains("✅ &lt;script&gt; active (running)"), text);
        assertTrue(text.contains("❌ redis: connection refused (3 in a row)"), text);
        assertTrue(text.contains("<b>Open incidents (1)</b>\n🔴 <b>#7</b>"), text);
        assertTrue(Views.host(json("""
                {"host_id": 1, "name": "new", "status": "unknown", "last_poll": null, "snapshot": null}
                """), List.of()).contains("No readings from its agent yet."));
    }

    @Test
    void aHostWithHugeListsStillFitsOneMessage() {
        JsonObjectBuilder snapshot = ServerApi.JSON.createObjectBuilder();
        var services = ServerApi.JSON.createArrayBuilder();
        IntStream.range(0, 500).forEach(i -> services.add(ServerApi.JSON.createObjectBuilder().add("unit", worst(500))
                .add("active_state", worst(100)).add("sub_state", worst(100))));
        snapshot.add("services", services);
        JsonObject latest = ServerApi.JSON.createObjectBuilder().add("name", worst(255)).add("status", "up")
                .add("snapshot", snapshot).build();
        List<JsonObject> incidents = new ArrayList<>();
        IntStream.range(0, 200).forEach(i -> incidents.add(incident(i + 1, worst(255), worst(255), worst(2000))));
        String text = Views.host(latest, incidents);
        assertTrue(text.length() <= Pages.LIMIT, "length " + text.length());
        assertTrue(text.endsWith("more lines left out"), text.substring(text.length() - 50));
    }

    @Test
    void pagesOfTheWorstLinesFitTelegramsLimit() {
        List<JsonObject> incidents = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> incidents.add(incident(i + 1, worst(255), worst(255), worst(5000))));
        List<Pages.Page<JsonObject>> pages = Pages.split(Views.warningsHeader(incidents), incidents,
                w -> Views.incident(w, true), 25);
        assertEquals(300, pages.stream().mapToInt(p -> p.items().size()).sum());
        pages.forEach(p -> assertTrue(p.html().length() <= Pages.LIMIT, "length " + p.html().length()));
        assertTrue(pages.getFirst().html().endsWith("<i>Page 1 of " + pages.size() + "</i>"));

        List<JsonObject> actions = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> actions.add(action(worst(255), worst(1000))));
        List<Pages.Page<JsonObject>> actionPages = Pages.split(Views.actionsHeader(actions), actions,
                a -> Views.actionLine(a, worst(255)), 6);
        actionPages.forEach(p -> assertTrue(p.html().length() <= Pages.LIMIT, "length " + p.html().length()));
        assertTrue(actionPages.stream().allMatch(p -> p.items().size() <= 6));
    }

    @Test
    void shortListsAreOnePageWithoutAFooter() {
        List<String> items = List.of("a", "b", "c");
        List<Pages.Page<String>> pages = Pages.split("<b>Head</b>", items, s -> s, 25);
        assertEquals(1, pages.size());
        assertEquals("<b>Head</b>\n\na\nb\nc", pages.getFirst().html());
        assertEquals(List.of(new Pages.Page<>("<b>Head</b>", List.of())), Pages.split("<b>Head</b>", List.<String>of(),
                s -> s, 25));
        List<Pages.Page<String>> many = Pages.split("H", IntStream.range(0, 60).mapToObj(i -> "x" + i).toList(),
                s -> s, 25);
        assertEquals(List.of(25, 25, 10), many.stream().map(p -> p.items().size()).toList());
        assertTrue(many.get(2).html().endsWith("<i>Page 3 of 3</i>"));
    }
}
