package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reports over three days ending yesterday (UTC), on the real MariaDB: two hosts of two groups, five incidents
 * and four actions in the range, one of each before it, aggregated by the database.
 */
class ReportsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The first of the three days. */
    private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
    private static final String RANGE = "from=" + DAY + "&to=" + DAY.plus(Duration.ofDays(3)).toEpochMilli();
    private static VigilServer server;
    private static String viewer;
    private static long web;
    private static long db;

    @BeforeAll
    static void seed() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        server = VigilServer.start(config);
        web = host("web-1", "web");
        db = host("db-1", "=db,x");
        viewer = TestApi.token(server.port(), "viewer");
        ServerConfig.ExternalDatabase database = config.database().orElseThrow();
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password())) {
            incident(c, web, "cpu", "cpu", "warning", hours(1), 100.0, false);
            incident(c, web, "cpu", "cpu", "critical", hours(2), 300.0, false);
            incident(c, web, "host-down", "host-down", "critical", hours(25), 600.0, false);
            incident(c, web, "disk:/", "disk", "warning", hours(49), null, false);
            incident(c, db, "cpu", "cpu", "warning", hours(26), null, true);
            incident(c, db, "cpu", "cpu", "critical", hours(-20), 50.0, false);
            action(c, web, "restart_service", "succeeded", hours(1));
            action(c, web, "restart_service", "failed", hours(25));
            action(c, web, "reboot", "pending_approval", hours(49));
            action(c, db, "kill_process", "dry_run", hours(26));
            action(c, db, "restart_service", "succeeded", hours(-40));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Instant hours(int hours) {
        return DAY.plus(Duration.ofHours(hours));
    }

    private static long host(String name, String group) throws Exception {
        HttpResponse<String> created = HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/hosts")).POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                        .add("name", name).add("url", "http://127.0.0.1:1").add("token", "t")
                        .add("interval_seconds", 3600).add("group", group).build().toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return Json.createReader(new StringReader(created.body())).readObject().getJsonNumber("id").longValue();
    }

    /** An incident opened at {@code at}; with a recovery time it recovered that much later, else by hand or not. */
    private static void incident(Connection c, long hostId, String key, String kind, String severity, Instant at,
                                 Double recovery, boolean resolvedByHand) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO incidents (host_id, incident_key, kind,"
                + " subject, severity, message, state, occurrences, first_seen, last_seen, resolved_at, resolved_by,"
                + " recovery_seconds) VALUES (?, ?, ?, '', ?, 'seeded', ?, 1, ?, ?, ?, ?, ?)")) {
            boolean resolved = recovery != null || resolvedByHand;
            Instant end = at.plusSeconds(recovery != null ? recovery.longValue() : 60);
            insert.setLong(1, hostId);
            insert.setString(2, key);
            insert.setString(3, kind);
            insert.setString(4, severity);
            insert.setString(5, resolved ? "resolved" : "open");
            insert.setTimestamp(6, Timestamp.from(at));
            insert.setTimestamp(7, Timestamp.from(at));
            insert.setTimestamp(8, resolved ? Timestamp.from(end) : null);
            insert.setString(9, resolved ? (recovery != null ? "rules" : "admin") : null);
            insert.setObject(10, recovery);
            insert.executeUpdate();
        }
    }

    private static void action(Connection c, long hostId, String type, String status, Instant at) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO actions (id, host_id, type, target, reason,"
                + " status, detail, requested_by, created_at, updated_at) VALUES (?, ?, ?, 'x', 'seeded', ?, '',"
                + " 'rules', ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setLong(2, hostId);
            insert.setString(3, type);
            insert.setString(4, status);
            insert.setTimestamp(5, Timestamp.from(at));
            insert.setTimestamp(6, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private static HttpResponse<String> get(String report, String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/reports/"
                + report + "?" + query)).header("Authorization", "Bearer " + viewer).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String report, String query) throws Exception {
        HttpResponse<String> response = get(report, query);
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static String day(int offset) {
        return LocalDate.ofInstant(DAY, ZoneOffset.UTC).plusDays(offset).toString();
    }

    /** A table's rows keyed by the first column's value. */
    private static Map<String, JsonObject> byFirst(JsonArray rows, String column) {
        return rows.stream().map(JsonValue::asJsonObject).collect(Collectors.toMap(
                row -> row.get(column).toString().replace("\"", ""), row -> row));
    }

    @Test
    void incidentsByHostRuleSeverityAndDay() throws Exception {
        JsonObject report = json("incidents", RANGE);
        assertEquals("incidents", report.getString("report"));
        assertEquals(DAY.toString(), report.getString("from"));
        JsonObject tables = report.getJsonObject("tables");
        JsonArray byHost = tables.getJsonArray("by_host");
        assertEquals(2, byHost.size());
        JsonObject first = byHost.getJsonObject(0);
        assertEquals(Json.createObjectBuilder().add("host_id", web).add("host", "web-1").add("incidents", 4)
                .add("critical", 2).add("warning", 2).add("unresolved", 1).build(), first, "the noisiest first");
        Map<String, JsonObject> rules = byFirst(tables.getJsonArray("by_rule"), "key");
        assertEquals(3, rules.get("cpu").getInt("incidents"));
        assertEquals(2, rules.get("cpu").getInt("hosts"));
        assertEquals("disk", rules.get("disk:/").getString("kind"));
        Map<String, JsonObject> severities = byFirst(tables.getJsonArray("by_severity"), "severity");
        assertEquals(3, severities.get("warning").getInt("incidents"));
        assertEquals(2, severities.get("critical").getInt("incidents"));
        JsonArray opened = report.getJsonObject("series").getJsonArray("incidents_opened");
        assertEquals(List.of(day(0), day(1), day(2)), opened.stream().map(d -> d.asJsonObject().getString("day"))
                .toList(), "every day of the range");
        assertEquals(List.of(2, 2, 1), opened.stream().map(d -> d.asJsonObject().getInt("incidents")).toList());
    }

    @Test
    void filtersByHostOrByGroup() throws Exception {
        JsonObject oneHost = json("incidents", RANGE + "&host=" + web);
        assertEquals(web, oneHost.getJsonObject("filters").getJsonNumber("host").longValue());
        assertEquals(1, oneHost.getJsonObject("tables").getJsonArray("by_host").size());
        JsonObject group = json("overview", RANGE + "&group=%3Ddb%2Cx");
        assertEquals("=db,x", group.getJsonObject("filters").getString("group"));
        JsonObject totals = group.getJsonObject("tables").getJsonArray("totals").getJsonObject(0);
        assertEquals(1, totals.getInt("incidents"));
        assertEquals(1, totals.getInt("actions"));
    }

    @Test
    void actionsByTypeAndOutcomeWithMttrPerDay() throws Exception {
        JsonObject report = json("actions", RANGE);
        Map<String, JsonObject> types = byFirst(report.getJsonObject("tables").getJsonArray("by_type"), "type");
        assertEquals(2, types.get("restart_service").getInt("actions"));
        assertEquals(1, types.get("reboot").getInt("actions"));
        assertEquals(1, types.get("kill_process").getInt("actions"));
        Map<String, JsonObject> outcomes = byFirst(report.getJsonObject("tables").getJsonArray("by_outcome"),
                "status");
        assertEquals(1, outcomes.get("succeeded").getInt("actions"));
        assertEquals(1, outcomes.get("failed").getInt("actions"));
        assertEquals(0, outcomes.get("refused").getInt("actions"));
        JsonArray perDay = report.getJsonObject("series").getJsonArray("actions");
        assertEquals(1, perDay.getJsonObject(1).getInt("failed"));
        assertEquals(2, perDay.getJsonObject(1).getInt("actions"));
        JsonArray mttr = report.getJsonObject("series").getJsonArray("mttr");
        assertEquals(3, mttr.size());
        JsonObject first = mttr.getJsonObject(0);
        assertEquals(2, first.getInt("recoveries"));
        assertEquals(200.0, first.getJsonNumber("median_seconds").doubleValue(), 0.001, "between 100 and 300");
        assertEquals(280.0, first.getJsonNumber("p90_seconds").doubleValue(), 0.001);
        assertEquals(600.0, mttr.getJsonObject(1).getJsonNumber("median_seconds").doubleValue(), 0.001);
        assertTrue(mttr.getJsonObject(2).isNull("median_seconds"), "no recovery that day");
    }

    @Test
    void overviewTotalsTheRange() throws Exception {
        JsonObject report = json("overview", RANGE);
        JsonObject totals = report.getJsonObject("tables").getJsonArray("totals").getJsonObject(0);
        assertEquals(5, totals.getInt("incidents"));
        assertEquals(2, totals.getInt("critical"));
        assertEquals(4, totals.getInt("actions"));
        assertEquals(3, totals.getInt("recoveries"));
        assertEquals(300.0, totals.getJsonNumber("median_recovery_seconds").doubleValue(), 0.001);
        assertEquals(540.0, totals.getJsonNumber("p90_recovery_seconds").doubleValue(), 0.001);
        assertEquals(List.of("incidents_opened", "actions", "mttr"),
                List.copyOf(report.getJsonObject("series").keySet()));
    }

    @Test
    void hostsSayFailedPollsAreNotStoredAndCountHostDownIncidents() throws Exception {
        JsonObject report = json("hosts", RANGE);
        JsonArray hosts = report.getJsonObject("tables").getJsonArray("hosts");
        JsonObject noisiest = hosts.getJsonObject(0);
        assertEquals(web, noisiest.getJsonNumber("host_id").longValue());
        assertEquals(1, noisiest.getInt("host_down_incidents"));
        assertEquals(600.0, noisiest.getJsonNumber("down_seconds").doubleValue(), 0.001);
        assertEquals(3, noisiest.getInt("actions"));
        assertEquals(1, noisiest.getInt("failed_actions"));
        assertEquals("=db,x", hosts.getJsonObject(1).getString("group"));
        assertTrue(report.getJsonArray("notes").getString(0).startsWith("failed polls are not stored"));
    }

    @Test
    void csvHasOneSectionPerTableAndDefusesFormulas() throws Exception {
        HttpResponse<String> response = get("hosts", RANGE + "&format=csv");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/csv; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        String from = DAY.toString().replace("-", "").replace(":", "");
        assertTrue(response.headers().firstValue("Content-Disposition").orElseThrow().matches(
                "attachment; filename=\"vigil-hosts-" + from + "-\\d{8}T\\d{6}Z\\.csv\""),
                response.headers().firstValue("Content-Disposition").orElseThrow());
        List<String> lines = response.body().lines().toList();
        assertEquals("# hosts", lines.get(0));
        assertEquals("host_id,host,group,incidents,critical,host_down_incidents,down_seconds,actions,failed_actions",
                lines.get(1));
        assertEquals(db + ",db-1,\"'=db,x\",1,0,0,0,1,0", lines.get(3), "a leading = is no formula");
        assertTrue(response.body().endsWith("\r\n"), "CRLF lines");

        String overview = get("overview", RANGE + "&format=csv").body();
        assertTrue(overview.contains("\r\n\r\n# by_outcome\r\nstatus,actions\r\n"), overview);
        assertTrue(overview.contains("\r\n\r\n# mttr\r\nday,recoveries,median_seconds,p90_seconds\r\n"
                + day(0) + ",2,200,280\r\n" + day(1) + ",1,600,600\r\n" + day(2) + ",0,,\r\n"), overview);

        String one = get("incidents", RANGE + "&format=csv&table=by_severity").body();
        assertEquals("severity,incidents\r\nwarning,3\r\ncritical,2\r\n", one, "one table: no section line");
    }

    @Test
    void theRangeDefaultsToTheLastDayAndIsChecked() throws Exception {
        JsonObject report = json("overview", "");
        assertEquals(Duration.ofHours(24), Duration.between(Instant.parse(report.getString("from")),
                Instant.parse(report.getString("to"))));
        for (String[] bad : new String[][] {
                {"from=" + DAY.plus(Duration.ofDays(1)) + "&to=" + DAY, "\"from\" must be before \"to\""},
                {"from=" + DAY.minus(Duration.ofDays(367)) + "&to=" + DAY, "at most 366 days apart"},
                {"table=by_host", "\"table\" must be one of"},
                {"format=xml", "\"format\""},
                {"host=0", "\"host\""}}) {
            HttpResponse<String> response = get("overview", bad[0]);
            assertEquals(400, response.statusCode(), bad[0]);
            assertTrue(response.body().contains(bad[1].replace("\"", "\\\"")), bad[0] + " → " + response.body());
        }
        assertEquals(200, get("overview", "from=" + DAY.minus(Duration.ofDays(366)) + "&to=" + DAY).statusCode(),
                "366 days is allowed");
    }
}
