package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.EventStream.Sse;
import dev.vigil.server.events.SampleSummaries;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/fleet} and the {@code samples} events: a real agent's headline numbers, live. */
class FleetApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPolledHostShowsItsNumbersAndSparklineAndEachPollIsASamplesEvent() throws Exception {
        try (Agent agent = Agent.start(AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                "vigil.agent.host", "127.0.0.1", "vigil.agent.port", "0", "vigil.agent.token", "read-1")))));
             VigilServer server = VigilServer.start(TestDatabase.serverConfig());
             EventStream stream = new EventStream(server.port())) {
            HttpResponse<String> created = HTTP.send(TestApi.authorized(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hosts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"fleet-1\",\"url\":\"http://127.0.0.1:"
                            + agent.port() + "\",\"token\":\"read-1\",\"interval_seconds\":5}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            long id = Json.createReader(new StringReader(created.body())).readObject().getJsonNumber("id").longValue();

            Sse first = stream.next(SampleSummaries.EVENT, 15);
            JsonObject sample = first.data().getJsonArray("samples").getJsonObject(0);
            assertEquals(id, sample.getJsonNumber("host_id").longValue());
            for (String number : new String[] {"cpu", "memory", "disk", "load1"}) {
                double value = sample.getJsonNumber(number).doubleValue();
                assertTrue(value >= 0 && (number.equals("load1") || value <= 100), number + " = " + value);
            }
            stream.next(SampleSummaries.EVENT, 15);

            JsonObject host = fleet(server).stream().map(JsonObject.class::cast)
                    .filter(h -> h.getJsonNumber("host_id").longValue() == id).findFirst().orElseThrow();
            assertEquals("up", host.getString("status"));
            assertFalse(host.isNull("at"));
            assertTrue(host.getJsonArray("spark").size() >= 2, "one CPU value per poll: " + host);

            HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hosts/" + id))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(fleet(server).stream().map(JsonObject.class::cast)
                    .noneMatch(h -> h.getJsonNumber("host_id").longValue() == id), "a removed host leaves the fleet");
        }
    }

    private static JsonArray fleet(VigilServer server) throws Exception {
        HttpResponse<String> response = HTTP.send(TestApi.authorized(
                URI.create("http://127.0.0.1:" + server.port() + "/api/v1/fleet")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readArray();
    }
}
