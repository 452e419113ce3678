package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import dev.vigil.agent.Agent;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestCertificates;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The server started with VIGIL_AGENTS_CA_FILE polls an HTTPS agent whose self-signed certificate is in the file,
 * and says in one line, in the API, why it refuses one that is not and one that names another host.
 */
class AgentsCaApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static String send(VigilServer server, String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(TestApi.authorized(
                        URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(method.equals("POST") && path.equals("/api/v1/hosts") ? 201 : 200, response.statusCode(),
                response.body());
        return response.body();
    }

    /** Registers the agent, polls it now, and answers its latest {@code last_poll}. */
    private static JsonObject lastPoll(VigilServer server, String name, Agent agent) throws Exception {
        long id = Json.createReader(new StringReader(send(server, "POST", "/api/v1/hosts", "{\"name\":\"" + name
                + "\",\"url\":\"https://127.0.0.1:" + agent.port() + "\",\"token\":\"read-1\",\"interval_seconds\":"
                + "3600}"))).readObject().getJsonNumber("id").longValue();
        send(server, "POST", "/api/v1/hosts/" + id + "/refresh", null);
        String latest = send(server, "GET", "/api/v1/hosts/" + id + "/latest", null);
        assertFalse(latest.contains("Exception") || latest.contains("\\tat ") || latest.contains("sun."), latest);
        return Json.createReader(new StringReader(latest)).readObject().getJsonObject("last_poll");
    }

    @Test
    void agentsAreTrustedThroughTheCaFileAndRefusalsAreOneLineInTheApi() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        TestCertificates.Pair trusted = certificates.selfSigned("trusted", "IP:127.0.0.1");
        TestCertificates.Pair stranger = certificates.selfSigned("stranger", "IP:127.0.0.1");
        TestCertificates.Pair misnamed = certificates.selfSigned("misnamed", "DNS:agent.example");
        ServerConfig fromFile = ServerConfig.from(Config.just(ConfigSources.create(Map.of("vigil.agents.ca.file",
                certificates.bundle("agents-ca.pem", trusted, misnamed).toString()))));
        try (Agent good = trusted.agent("read-1"); Agent unknown = stranger.agent("read-1");
             Agent wrongName = misnamed.agent("read-1");
             VigilServer server = VigilServer.start(TestDatabase.serverConfig().withAgentsCa(fromFile.agentsCa()))) {
            assertEquals("ok", lastPoll(server, "good", good).getString("outcome"));

            JsonObject untrusted = lastPoll(server, "unknown", unknown);
            assertEquals("unreachable", untrusted.getString("outcome"));
            assertEquals("TLS: the agent's certificate is not trusted (no path to a trusted CA; the server trusts"
                    + " the JVM's CAs and those of VIGIL_AGENTS_CA_FILE)", untrusted.getString("detail"));

            JsonObject wrong = lastPoll(server, "wrong-name", wrongName);
            assertEquals("unreachable", wrong.getString("outcome"));
            assertEquals("TLS: No subject alternative names matching IP address 127.0.0.1 found",
                    wrong.getString("detail"));
        }
    }
}
