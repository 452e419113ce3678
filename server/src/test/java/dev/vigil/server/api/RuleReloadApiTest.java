package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A rule put while its condition already holds decides at once, on the live server with a real agent. */
class RuleReloadApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int INTERVAL_SECONDS = 5;
    private static final Pattern FIRINGS = Pattern.compile("\nvigil_rule_firings_total (\\d+)");
    private static final String CANARY = """
            package vigil.rules
            import dev.vigil.rules.model.*
            rule "Every host with a sample is a canary"
            when
                Sample( cpuPercent >= 0, $id : hostId )
                not Warning( hostId == $id, kind == "canary" )
            then
                insert( new Warning( $id, "canary", "", Warning.WARNING, "the canary rule holds" ) );
            end
            """;

    @Test
    void aRulePutWhileItsConditionHoldsOpensItsIncidentWithinOnePollInterval() throws Exception {
        try (Agent agent = Agent.start(AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                "vigil.agent.host", "127.0.0.1", "vigil.agent.port", "0", "vigil.agent.token", "read-1")))));
             VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            HttpResponse<String> created = call(server, "POST", "/api/v1/hosts", "{\"name\":\"this-machine\","
                    + "\"url\":\"http://127.0.0.1:" + agent.port() + "\",\"token\":\"read-1\",\"interval_seconds\":"
                    + INTERVAL_SECONDS + "}");
            assertEquals(201, created.statusCode(), created.body());
            long id = object(created.body()).getJsonNumber("id").longValue();
            awaitTrue(() -> !object(call(server, "GET", "/api/v1/hosts/" + id + "/latest", null).body())
                    .isNull("snapshot"), Duration.ofSeconds(15), "the first sample");
            long firingsBefore = firings(server);

            HttpResponse<String> put = call(server, "PUT", "/api/v1/rules/canary.drl",
                    Json.createObjectBuilder().add("content", CANARY).build().toString());
            assertEquals(200, put.statusCode(), put.body());
            long putAt = System.nanoTime();

            JsonObject incident = awaitIncident(server, "canary", Duration.ofSeconds(INTERVAL_SECONDS));
            long tookMillis = (System.nanoTime() - putAt) / 1_000_000;
            assertEquals(id, incident.getJsonNumber("host_id").longValue());
            assertEquals("open", incident.getString("state"));
            assertTrue(tookMillis < INTERVAL_SECONDS * 1000L, "opened " + tookMillis + " ms after the PUT");
            assertTrue(firings(server) > firingsBefore, "vigil_rule_firings_total counts the reload's firing");
        }
    }

    private static JsonObject awaitIncident(VigilServer server, String key, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonObject> found = Json.createReader(new StringReader(
                            call(server, "GET", "/api/v1/incidents?state=open", null).body())).readArray().stream()
                    .map(JsonValue::asJsonObject).filter(i -> i.getString("key").equals(key)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        return fail("no open incident " + key + " within " + within);
    }

    private static long firings(VigilServer server) throws Exception {
        Matcher count = FIRINGS.matcher(call(server, "GET", "/metrics", null).body());
        assertTrue(count.find(), "vigil_rule_firings_total is exported");
        return Long.parseLong(count.group(1));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, Duration within, String what) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + within);
            }
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> call(VigilServer server, String method, String path, String body)
            throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
