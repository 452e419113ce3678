package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.vigil.server.ActionEndpoint;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.TestApi;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Manual actions through the gate on the real database: approvals, reboot limits, maintenance, the audit; approved
 * ones go to a stand-in agent that answers every action with success.
 */
class GateApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private VigilServer server;
    private ActionEndpoint agent;
    private long web1;
    private long web2;

    @BeforeEach
    void start() throws Exception {
        agent = new ActionEndpoint();
        ServerConfig d = TestDatabase.serverConfig();
        server = VigilServer.start(d.withDryRun(false));
        web1 = host("web-1");
        web2 = host("web-2");
    }

    @AfterEach
    void stop() {
        server.close();
        agent.close();
    }

    private long host(String name) throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/hosts", "{\"name\":\"" + name + "\",\"url\":"
                + "\"" + agent.url() + "\",\"token\":\"t\",\"action_token\":\"a\","
                + "\"group\":\"web\",\"interval_seconds\":3600,"
                + "\"policy\":{\"allowed_services\":[\"nginx.service\"]}}");
        assertEquals(201, created.statusCode(), created.body());
        return object(created).getJsonNumber("id").longValue();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(TestApi.authorized(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private JsonObject propose(long host, String type, String target) throws Exception {
        HttpResponse<String> response = call("POST", "/api/v1/actions", "{\"host_id\":" + host + ",\"type\":\""
                + type + "\",\"target\":\"" + target + "\",\"reason\":\"test\"}");
        assertEquals(201, response.statusCode(), response.body());
        return object(response);
    }

    @Test
    void anAllowedRestartIsApprovedAndAnotherUnitSuppressed() throws Exception {
        assertEquals("approved", propose(web1, "restart_service", "nginx.service").getString("status"));
        JsonObject other = propose(web1, "restart_service", "sshd.service");
        assertEquals("suppressed", other.getString("status"));
        assertTrue(other.getString("detail").contains("not among the services"), other.toString());
    }

    @Test
    void aRebootWaitsForApprovalThenOneHostOfTheGroupAtATimeAndOnePerHostIn6Hours() throws Exception {
        JsonObject first = propose(web1, "reboot", "web-1");
        JsonObject sibling = propose(web2, "reboot", "web-2");
        JsonObject unwanted = propose(web2, "reboot", "web-2");
        assertEquals("pending_approval", first.getString("status"));
        assertEquals("pending_approval", sibling.getString("status"));
        assertEquals("rejected", object(call("POST", "/api/v1/actions/" + unwanted.getString("id") + "/reject", ""))
                .getString("status"));

        JsonObject approved = object(call("POST", "/api/v1/actions/" + first.getString("id") + "/approve", ""));
        assertEquals("approved", approved.getString("status"));
        assertEquals(409, call("POST", "/api/v1/actions/" + first.getString("id") + "/approve", "").statusCode(),
                "decided already");

        JsonObject blocked = object(call("POST", "/api/v1/actions/" + sibling.getString("id") + "/approve", ""));
        assertEquals("suppressed", blocked.getString("status"), "web-1 of the same group is rebooting");
        assertTrue(blocked.getString("detail").contains("group web"), blocked.toString());

        JsonObject again = propose(web1, "reboot", "web-1");
        assertEquals("suppressed", again.getString("status"));
        assertTrue(again.getString("detail").contains("less than 6 hours"), again.toString());
    }

    @Test
    void aMaintenanceWindowSuppressesActionsUntilItIsDeleted() throws Exception {
        HttpResponse<String> window = call("POST", "/api/v1/maintenance", "{\"group\":\"web\",\"ends_at\":\""
                + Instant.now().plusSeconds(3600) + "\",\"reason\":\"kernel upgrade\"}");
        assertEquals(201, window.statusCode(), window.body());
        JsonObject silenced = propose(web2, "restart_service", "nginx.service");
        assertEquals("suppressed", silenced.getString("status"));
        assertTrue(silenced.getString("detail").contains("maintenance"));

        JsonArray windows = Json.createReader(new StringReader(call("GET", "/api/v1/maintenance", null).body()))
                .readArray();
        assertEquals(1, windows.size());
        assertEquals(204, call("DELETE", "/api/v1/maintenance/" + windows.getJsonObject(0).getInt("id"), null)
                .statusCode());
        assertEquals("approved", propose(web2, "restart_service", "nginx.service").getString("status"));
        assertEquals(400, call("POST", "/api/v1/maintenance", "{\"host_id\":1,\"group\":\"web\",\"ends_at\":1,"
                + "\"reason\":\"x\"}").statusCode());
    }

    @Test
    void aNewMaintenanceWindowIsAnsweredWithItselfAndALocationThatResolves() throws Exception {
        Instant ends = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> created = call("POST", "/api/v1/maintenance", "{\"host_id\":" + web1 + ",\"ends_at\":\""
                + ends + "\",\"reason\":\"disk swap\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject window = object(created);
        assertEquals(web1, window.getJsonNumber("host_id").longValue());
        assertTrue(window.isNull("group"), window.toString());
        assertEquals(ends.toString(), window.getString("ends_at"));
        assertEquals("disk swap", window.getString("reason"));
        String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals("/api/v1/maintenance/" + window.getJsonNumber("id").longValue(), location);

        HttpResponse<String> fetched = call("GET", location, null);
        assertEquals(200, fetched.statusCode(), fetched.body());
        assertEquals(window, object(fetched));
        assertEquals(204, call("DELETE", location, null).statusCode());
        assertEquals(404, call("GET", location, null).statusCode(), "ended early: gone");
        assertEquals(404, call("GET", "/api/v1/maintenance/x", null).statusCode());
    }

    @Test
    void badManualActionsAre400AndEveryStepIsAudited() throws Exception {
        assertEquals(400, call("POST", "/api/v1/actions", "{\"host_id\":" + web1
                + ",\"type\":\"format_disk\",\"target\":\"/\",\"reason\":\"x\"}").statusCode());
        assertEquals(400, call("POST", "/api/v1/actions", "{\"host_id\":" + web1
                + ",\"type\":\"kill_process\",\"target\":\"java\",\"reason\":\"x\"}").statusCode(), "no pid");
        assertEquals(400, call("POST", "/api/v1/actions", "{\"host_id\":999,\"type\":\"reboot\",\"target\":\"x\","
                + "\"reason\":\"x\"}").statusCode(), "no such host");
        assertEquals(404, call("POST", "/api/v1/actions/not-a-uuid/approve", "").statusCode());
        String id = propose(web1, "restart_service", "nginx.service").getString("id");
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonObject done = object(call("GET", "/api/v1/actions/" + id, null));
        while (!done.getString("status").equals("succeeded") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            done = object(call("GET", "/api/v1/actions/" + id, null));
        }
        assertEquals("succeeded", done.getString("status"), done.toString());
        // the caller is the test's admin API token, recorded by its name
        assertEquals(List.of("token:action_proposed", "gate:action_approved", "act:action_dispatched",
                        "agent:action_succeeded"), done.getJsonArray("trail").getValuesAs(JsonObject.class).stream()
                        .map(step -> step.getString("actor").replaceFirst("^token:test admin .*", "token") + ":"
                                + step.getString("event")).toList(),
                "who asked, the gate's verdict, the dispatch and the outcome, each once");
    }
}
