package dev.vigil.agent.act;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Starting a real agent for action tests and talking to it over HTTP with the action token. */
final class ActionHttp {
    static final String READ = "read-token-1";
    static final String ACTION = "action-token-2";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ActionHttp() {
    }

    /** An agent on a free loopback port with the action token and its journal in {@code stateDir}. */
    static AgentConfig config(Path stateDir, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "vigil.agent.host", "127.0.0.1",
                "vigil.agent.port", "0",
                "vigil.agent.token", READ,
                "vigil.agent.action.token", ACTION,
                "vigil.agent.state.dir", stateDir.toString()));
        settings.putAll(extra);
        return AgentConfig.from(Config.just(ConfigSources.create(settings)));
    }

    static HttpResponse<String> post(Agent agent, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/api/v1/actions"))
                .header("Authorization", "Bearer " + ACTION)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String restart(UUID id, String unit) {
        return "{\"id\":\"" + id + "\",\"type\":\"restart_service\",\"target\":\"" + unit + "\",\"reason\":\"test\"}";
    }

    static String kill(UUID id, String name, long pid, double createTime, String signal) {
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"type\":\"kill_process\",\"target\":\"%s\",\"pid\":%d,"
                + "\"create_time\":%.2f,\"signal\":\"%s\",\"reason\":\"test\"}", id, name, pid, createTime, signal);
    }

    static String reboot(UUID id) {
        return "{\"id\":\"" + id + "\",\"type\":\"reboot\",\"reason\":\"test\"}";
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** Asserts the HTTP status and the result's status, and answers the result. */
    static JsonObject result(HttpResponse<String> response, int httpStatus, String status) {
        assertEquals(httpStatus, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonObject result = json(response);
        assertEquals(status, result.getString("status"), response.body());
        return result;
    }
}
