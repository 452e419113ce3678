package dev.vigil.server.model;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentSnapshotTest {
    private static final String HEADLINE = """
            "hostname":"web-1","collected_at":"2010-06-15T10:00:00Z",
            "cpu":{"percent":12.5,"load_avg":[0.5,0.4,0.3]},
            "virtual_memory":{"percent":40.0},"swap_memory":{"percent":1.5},
            "disk_usage":[{"percent":71.0},{"percent":93.5}],
            "net_io_counters":{"lo":{"bytes_recv":999,"bytes_sent":999},
                               "eth0":{"bytes_recv":100,"bytes_sent":10},"eth1":{"bytes_recv":5,"bytes_sent":1}}""";

    private static final String PROBE = """
            {"name":"nginx","unit":"nginx.service","target":"http://127.0.0.1/healthz","ok":false,"latency_ms":2.1,\
            "error":"HTTP 503","consecutive_failures":3}""";

    @Test
    void aHistoryIsEachSnapshotAsTheAgentSentIt() throws Exception {
        String first = "{" + HEADLINE + ",\"note\":\"a ] and a \\\" in a string, [{\"}";
        String second = "{" + HEADLINE.replace("10:00:00Z", "10:00:02Z") + ", \"probes\":[" + PROBE + "]}";
        var history = AgentSnapshot.history((" [" + first + ",\n " + second + "]\n").getBytes());
        assertEquals(2, history.size());
        assertArrayEquals(first.getBytes(), history.get(0).body(), "byte for byte");
        assertArrayEquals(second.getBytes(), history.get(1).body());
        assertEquals(Instant.parse("2010-06-15T10:00:02Z"), history.get(1).collectedAt());
        assertEquals(0, AgentSnapshot.history(" [ ] ".getBytes()).size());
        for (String bad : new String[] {"{}", "[", "[" + first, "[" + first + ",]", "[," + first + "]",
                "[" + first + "] x", "[" + first + "}]", "[1]", "[" + first + " " + second + "]"}) {
            assertThrows(AgentSnapshot.BadPayload.class, () -> AgentSnapshot.history(bad.getBytes()), bad);
        }
    }

    @Test
    void probesAreReadForTheRulesAndAnAgentWithoutProbesIsFine() throws Exception {
        var members = AgentSnapshot.read(("{" + HEADLINE + ", \"probes\":[" + PROBE + "]}").getBytes()).members();
        assertEquals("nginx", members.get("probes").asJsonArray().getJsonObject(0).getString("name"));
        assertTrue(!AgentSnapshot.read(("{" + HEADLINE + "}").getBytes()).members().containsKey("probes"),
                "agents before probes send none");
        AgentSnapshot.parse(("{" + HEADLINE + ", \"probes\":[" + PROBE.replace("\"HTTP 503\"", "null") + "]}")
                .getBytes());
    }

    @Test
    void theHeadlineGaugesComeFromTheContractsFieldsAndTheRestIsOnlyKept() throws Exception {
        byte[] body = ("{\"processes\":{\"top_cpu\":[{\"pid\":1,\"name\":\"init\"}]},\"services\":[{\"name\":\"a\"}],"
                + "\"boot_time\":1.0," + HEADLINE + "}").getBytes();
        AgentSnapshot s = AgentSnapshot.parse(body);
        assertEquals("web-1", s.hostname());
        assertEquals(Instant.parse("2010-06-15T10:00:00Z"), s.collectedAt());
        assertEquals(12.5, s.cpuPercent());
        assertEquals(40.0, s.memoryPercent());
        assertEquals(1.5, s.swapPercent());
        assertEquals(0.3, s.load15());
        assertEquals(93.5, s.fullestDiskPercent(), "the fullest disk");
        assertEquals(105, s.netRecvBytes(), "all interfaces but loopback");
        assertEquals(11, s.netSentBytes());
        assertArrayEquals(body, s.body());
        assertEquals("init", s.document().getJsonObject("processes").getJsonArray("top_cpu").getJsonObject(0)
                .getString("name"));
        var members = AgentSnapshot.read(body).members();
        assertTrue(members.containsKey("processes") && members.containsKey("services"), "what the rules read");
        assertTrue(!members.containsKey("boot_time"), "what nobody reads is checked, not built");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<html>hello</html>|not JSON",
            "[1,2]|not a JSON object",
            "42|not a JSON object",
            "{\"hostname\":\"a\"|not JSON",
            "{}|\"cpu\" is missing or not an object",
            "{},{}|not JSON",
            "{\"processes\":[{\"pid\":1,]}, HEADLINE}|not JSON",
            "{HEADLINE, \"cpu\":{\"percent\":101,\"load_avg\":[]}}|not a percentage",
            "{HEADLINE, \"disk_usage\":[7]}|disk_usage holds a non-object",
            "{HEADLINE, \"probes\":{}}|\"probes\" is missing or not a list",
            "{HEADLINE, \"probes\":[\"nginx\"]}|probes holds a non-object",
            "{HEADLINE, \"probes\":[PROBE, {\"name\":\"redis\"}]}|probes[1]: \"unit\" is missing or not a string",
            "{HEADLINE, \"probes\":[PROBE, PROBE_OK_YES]}|probes[1]: \"ok\" is missing or not true or false",
            "{HEADLINE, \"probes\":[PROBE_NO_LATENCY]}|probes[0]: \"latency_ms\" is missing or not a number",
            "{HEADLINE, \"probes\":[PROBE_HALF_A_FAILURE]}|probes[0]: \"consecutive_failures\" is 1.5, not a count",
            "{HEADLINE, \"probes\":[PROBE_ERROR_NUMBER]}|probes[0]: \"error\" is neither null nor a string"})
    void whatIsNotASnapshotIsRefusedWithTheReason(String body, String reason) {
        // A member given twice counts with its last value, so these bodies override one headline member.
        String json = body.replace("HEADLINE", HEADLINE).replace("PROBE_OK_YES", PROBE.replace("false", "\"yes\""))
                .replace("PROBE_NO_LATENCY", PROBE.replace("\"latency_ms\":2.1,", ""))
                .replace("PROBE_HALF_A_FAILURE", PROBE.replace(":3}", ":1.5}"))
                .replace("PROBE_ERROR_NUMBER", PROBE.replace("\"HTTP 503\"", "503"))
                .replace("PROBE", PROBE);
        AgentSnapshot.BadPayload refused = assertThrows(AgentSnapshot.BadPayload.class,
                () -> AgentSnapshot.parse(json.getBytes()));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }
}
