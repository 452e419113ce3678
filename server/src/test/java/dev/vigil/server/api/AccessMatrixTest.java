package dev.vigil.server.api;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import dev.vigil.server.model.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the server's routing table, as each caller: anonymous → 401, a role below the route's → 403,
 * the route's role → through (whatever the handler then answers: 200, 400 for an empty body, 404 for an unknown
 * id, but never 401 or 403) — and no answer holds a password or a token. The table comes from the running
 * server, so a new route is in the matrix the moment it exists; a route cannot be registered without a role.
 */
class AccessMatrixTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<Role> ROLES = List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN);
    private static VigilServer server;
    private static Map<Role, String> tokens;

    @BeforeAll
    static void start() {
        server = VigilServer.start(TestDatabase.serverConfig());
        tokens = Map.of(Role.VIEWER, TestApi.token(server.port(), "viewer"),
                Role.OPERATOR, TestApi.token(server.port(), "operator"),
                Role.ADMIN, TestApi.token(server.port(), "admin"));
    }

    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>(tokens.values());
        secrets.add(TestApi.ADMIN_PASSWORD);
        return secrets;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A path of the route with its parameters filled: ids that do not exist, a rules file that does not. */
    private static String concrete(String path) {
        return path.replace("{id}", "999999").replace("{file}", "absent.drl");
    }

    /**
     * The status; the body is read (but for the event stream, which never ends) and must not hold a password or
     * any caller's token.
     */
    private static int status(Access.Route route, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + concrete(route.path()))).timeout(Duration.ofSeconds(10))
                .method(route.method().text(), route.method().text().equals("GET")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (!route.path().equals("/api/v1/events")) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                for (String secret : secrets()) {
                    assertFalse(text.contains(secret), route + " answered a secret: " + text);
                }
            }
        }
        return response.statusCode();
    }

    @Test
    void everyRouteRefusesAnonymousCallersAndLowerRolesAndLetsItsRoleThrough() throws Exception {
        List<Access.Route> routes = server.routes();
        assertTrue(routes.size() >= 40, "the whole routing table: " + routes);
        List<String> wrong = new ArrayList<>();
        for (Access.Route route : routes) {
            String name = route.method().text() + " " + route.path() + " (" + route.role().json() + ")";
            if (route.role() == Role.PUBLIC) {
                int status = status(route, null);
                if (status == 401 || status == 403) {
                    wrong.add(name + ": public, but anonymous got " + status);
                }
                continue;
            }
            int anonymous = status(route, null);
            if (anonymous != 401) {
                wrong.add(name + ": anonymous got " + anonymous);
            }
            for (Role role : ROLES) {
                int status = status(route, tokens.get(role));
                boolean allowed = role.atLeast(route.role());
                if (allowed && (status == 401 || status == 403)) {
                    wrong.add(name + ": " + role.json() + " got " + status);
                }
                if (!allowed && status != 403) {
                    wrong.add(name + ": " + role.json() + " got " + status + ", not 403");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void onlyTheTelegramBotsRoutesAreForApiTokensOnly() {
        assertEquals(List.of("GET /api/v1/telegram/config", "POST /api/v1/telegram/lease",
                        "POST /api/v1/telegram/refusals", "PUT /api/v1/telegram/status"), server.routes().stream().filter(Access.Route::apiTokensOnly)
                .map(r -> r.method().text() + " " + r.path()).sorted().toList());
    }

    @Test
    void readsAreForViewersAndChangesToTheFleetForAdmins() {
        Map<String, Role> expected = Map.ofEntries(
                Map.entry("GET /api/v1/hosts", Role.VIEWER),
                Map.entry("POST /api/v1/hosts", Role.ADMIN),
                Map.entry("POST /api/v1/hosts/{id}/refresh", Role.OPERATOR),
                Map.entry("POST /api/v1/incidents/{id}/ack", Role.OPERATOR),
                Map.entry("POST /api/v1/actions/{id}/approve", Role.OPERATOR),
                Map.entry("PUT /api/v1/rules/{file}", Role.ADMIN),
                Map.entry("POST /api/v1/tokens", Role.ADMIN),
                Map.entry("POST /api/v1/users", Role.ADMIN),
                Map.entry("GET /api/v1/stats", Role.VIEWER),
                Map.entry("GET /api/v1/warnings", Role.VIEWER),
                Map.entry("GET /api/v1/settings", Role.ADMIN),
                Map.entry("PUT /api/v1/settings", Role.ADMIN),
                Map.entry("GET /api/v1/settings/telegram", Role.ADMIN),
                Map.entry("PUT /api/v1/settings/telegram", Role.ADMIN),
                Map.entry("GET /api/v1/telegram/config", Role.ADMIN),
                Map.entry("PUT /api/v1/telegram/status", Role.ADMIN),
                Map.entry("POST /api/v1/telegram/requests", Role.ADMIN),
                Map.entry("POST /api/v1/telegram/refusals", Role.ADMIN),
                Map.entry("POST /api/v1/telegram/lease", Role.ADMIN),
                Map.entry("GET /metrics", Role.VIEWER),
                Map.entry("GET /health/ready", Role.PUBLIC),
                Map.entry("POST /api/v1/auth/login", Role.PUBLIC));
        expected.forEach((route, role) -> assertEquals(role, server.routes().stream()
                .filter(r -> (r.method().text() + " " + r.path()).equals(route)).findFirst()
                .orElseThrow(() -> new AssertionError("no route " + route)).role(), route));
    }
}
