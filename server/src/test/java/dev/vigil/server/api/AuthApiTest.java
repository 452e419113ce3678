package dev.vigil.server.api;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestApi;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Setup, login, sessions with CSRF, backoff, tokens, users, audit export and headers on the real server. */
class AuthApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One call: with a Bearer token, or with a browser session's cookies (and its CSRF header when given). */
    private static HttpResponse<String> call(int port, String method, String path, String body,
                                             Optional<String> token, Optional<TestApi.Session> session,
                                             boolean withCsrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        session.ifPresent(s -> {
            request.header("Cookie", s.cookie());
            if (withCsrf) {
                request.header("X-XSRF-TOKEN", s.csrf());
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> anonymous(int port, String method, String path, String body)
            throws Exception {
        return call(port, method, path, body, Optional.empty(), Optional.empty(), false);
    }

    private static HttpResponse<String> bearer(int port, String token, String method, String path, String body)
            throws Exception {
        return call(port, method, path, body, Optional.of(token), Optional.empty(), false);
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static String login(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void theFirstRunSetupMakesTheAdminOnceAndNothingIsOpenBeforeIt() throws Exception {
        ServerConfig config = TestDatabase.serverConfig().withSecurity(new ServerConfig.Security(Optional.empty(),
                Optional.empty(), 4, Duration.ofHours(8), Duration.ofDays(7), false));
        try (VigilServer server = VigilServer.start(config)) {
            int port = server.port();
            assertTrue(server.needsSetup());
            assertEquals(401, anonymous(port, "GET", "/api/v1/hosts", null).statusCode());
            assertEquals(400, anonymous(port, "POST", "/api/v1/auth/setup", login("root", "short")).statusCode(),
                    "the password policy holds at setup too");

            HttpResponse<String> setup = anonymous(port, "POST", "/api/v1/auth/setup",
                    login("root", "a long enough password"));
            assertEquals(201, setup.statusCode(), setup.body());
            assertEquals("admin", object(setup).getString("role"));
            TestApi.remember(TestApi.cookie(setup, "VIGIL_SESSION"));
            TestApi.remember(TestApi.cookie(setup, "XSRF-TOKEN"));
            String sessionCookie = setup.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("VIGIL_SESSION=")).findFirst().orElseThrow();
            assertTrue(sessionCookie.contains("HttpOnly") && sessionCookie.contains("SameSite=Strict"), sessionCookie);
            assertFalse(sessionCookie.contains("Secure"), "plain HTTP: not Secure");
            String xsrf = setup.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst().orElseThrow();
            assertFalse(xsrf.contains("HttpOnly"), "the page's script reads it: " + xsrf);

            assertFalse(server.needsSetup());
            assertEquals(409, anonymous(port, "POST", "/api/v1/auth/setup", login("mallory", "another long password"))
                    .statusCode(), "setup only while no user exists");
            TestApi.Session root = TestApi.login(port, "root", "a long enough password");
            assertEquals("root", object(call(port, "GET", "/api/v1/auth/me", null, Optional.empty(),
                    Optional.of(root), false)).getString("name"));
        }
    }

    @Test
    void aBrowserSessionNeedsTheCsrfHeaderOnUnsafeMethodsAndTokensDoNot() throws Exception {
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            int port = server.port();
            TestApi.Session admin = TestApi.login(port, TestApi.ADMIN, TestApi.ADMIN_PASSWORD);
            String host = "{\"name\":\"csrf-1\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\"}";

            HttpResponse<String> forged = call(port, "POST", "/api/v1/hosts", host, Optional.empty(),
                    Optional.of(admin), false);
            assertEquals(403, forged.statusCode(), forged.body());
            assertTrue(forged.body().contains("X-XSRF-TOKEN"), forged.body());
            TestApi.Session wrongCsrf = new TestApi.Session(admin.cookie(), "not-the-token");
            assertEquals(403, call(port, "POST", "/api/v1/hosts", host, Optional.empty(), Optional.of(wrongCsrf),
                    true).statusCode());
            TestApi.Session plantedCookie = new TestApi.Session(admin.cookie().replaceAll("XSRF-TOKEN=[^;]*",
                    "XSRF-TOKEN=planted"), "planted");
            assertEquals(403, call(port, "POST", "/api/v1/hosts", host, Optional.empty(), Optional.of(plantedCookie),
                    true).statusCode(), "the header must be the session's token, not whatever the cookie says");
            assertEquals(200, call(port, "GET", "/api/v1/hosts", null, Optional.empty(), Optional.of(admin), false)
                    .statusCode(), "reads need no CSRF header");
            assertEquals(201, call(port, "POST", "/api/v1/hosts", host, Optional.empty(), Optional.of(admin), true)
                    .statusCode());

            String token = TestApi.token(port, "admin");
            assertEquals(201, bearer(port, token, "POST", "/api/v1/hosts",
                    "{\"name\":\"csrf-2\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\"}").statusCode(),
                    "an API token needs no CSRF header");
        }
    }

    @Test
    void failedLoginsAreSlowedAndAuditedAndTheRightPasswordWorksOnceTheWaitIsOver() throws Exception {
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            int port = server.port();
            for (int i = 1; i <= 5; i++) {
                assertEquals(401, anonymous(port, "POST", "/api/v1/auth/login", login(TestApi.ADMIN, "guess " + i))
                        .statusCode(), "free attempt " + i);
            }
            assertEquals(401, anonymous(port, "POST", "/api/v1/auth/login", login(TestApi.ADMIN, "guess 6"))
                    .statusCode());
            long refusedAt = System.nanoTime();
            HttpResponse<String> throttled = anonymous(port, "POST", "/api/v1/auth/login",
                    login(TestApi.ADMIN, TestApi.ADMIN_PASSWORD));
            assertEquals(429, throttled.statusCode(), "even the right password waits: " + throttled.body());
            assertEquals("1", throttled.headers().firstValue("Retry-After").orElseThrow());

            HttpResponse<String> later;
            do {
                Thread.sleep(100);
                later = anonymous(port, "POST", "/api/v1/auth/login", login(TestApi.ADMIN, TestApi.ADMIN_PASSWORD));
            } while (later.statusCode() == 429 && System.nanoTime() - refusedAt < 5_000_000_000L);
            assertEquals(200, later.statusCode(), later.body());
            long waited = (System.nanoTime() - refusedAt) / 1_000_000;
            assertTrue(waited >= 500 && waited < 3_000, "the 7th attempt waited about a second: " + waited + " ms");

            String csv = bearer(port, TestApi.adminToken(port), "GET",
                    "/api/v1/audit?actor=" + TestApi.ADMIN + "&format=csv&limit=50", null).body();
            assertTrue(csv.startsWith("id,at,actor,event,subject,detail,address,result\r\n"), csv);
            assertEquals(6, csv.lines().filter(line -> line.contains(",login_failed,")).count(), csv);
            assertTrue(csv.lines().anyMatch(line -> line.contains(",login_throttled,")), csv);
            assertTrue(csv.lines().filter(line -> line.contains(",login_failed,"))
                    .allMatch(line -> line.contains(",127.0.0.1,failed")), "from where, and the result: " + csv);
            assertFalse(csv.contains("guess"), "no password in the audit");
        }
    }

    @Test
    void tokensWorkUntilRevokedAndSessionsEndAtLogoutWhenRevokedAndWhenIdle() throws Exception {
        ServerConfig config = TestDatabase.serverConfig().withSecurity(new ServerConfig.Security(
                Optional.of(TestApi.ADMIN), Optional.of(TestApi.ADMIN_PASSWORD), 4, Duration.ofSeconds(2),
                Duration.ofDays(7), false));
        try (VigilServer server = VigilServer.start(config)) {
            int port = server.port();
            String admin = TestApi.adminToken(port);
            HttpResponse<String> issued = bearer(port, admin, "POST", "/api/v1/tokens",
                    "{\"name\":\"telegram\",\"role\":\"operator\"}");
            assertEquals(201, issued.statusCode(), issued.body());
            String value = TestApi.remember(object(issued).getString("token"));
            long id = object(issued).getJsonNumber("id").longValue();
            assertTrue(value.startsWith("vgl_"), value);
            assertEquals(200, bearer(port, value, "GET", "/api/v1/incidents", null).statusCode());
            assertEquals(403, bearer(port, value, "POST", "/api/v1/hosts", "{}").statusCode(), "an operator");
            String listed = bearer(port, admin, "GET", "/api/v1/tokens", null).body();
            assertTrue(listed.contains("\"name\":\"telegram\"") && !listed.contains(value), "shown once: " + listed);
            assertTrue(listed.contains("\"last_used_at\":\"20"), "its use is kept: " + listed);

            assertEquals(204, bearer(port, admin, "DELETE", "/api/v1/tokens/" + id, null).statusCode());
            HttpResponse<String> revoked = bearer(port, value, "GET", "/api/v1/incidents", null);
            assertEquals(401, revoked.statusCode());
            assertTrue(revoked.body().contains("unknown or revoked"), revoked.body());

            TestApi.Session session = TestApi.login(port, TestApi.ADMIN, TestApi.ADMIN_PASSWORD);
            assertEquals(204, call(port, "POST", "/api/v1/auth/logout", null, Optional.empty(), Optional.of(session),
                    true).statusCode());
            assertEquals(401, call(port, "GET", "/api/v1/hosts", null, Optional.empty(), Optional.of(session), false)
                    .statusCode(), "logged out");

            TestApi.Session laptop = TestApi.login(port, TestApi.ADMIN, TestApi.ADMIN_PASSWORD);
            TestApi.Session phone = TestApi.login(port, TestApi.ADMIN, TestApi.ADMIN_PASSWORD);
            List<JsonObject> mine = Json.createReader(new StringReader(call(port, "GET", "/api/v1/auth/sessions", null,
                    Optional.empty(), Optional.of(laptop), false).body())).readArray().getValuesAs(JsonObject.class);
            assertEquals(2, mine.size(), "the two live sessions: " + mine);
            JsonObject other = mine.stream().filter(s -> !s.getBoolean("current")).findFirst().orElseThrow();
            assertEquals("127.0.0.1", other.getString("address"));
            assertEquals(204, call(port, "DELETE", "/api/v1/auth/sessions/" + other.getInt("id"), null,
                    Optional.empty(), Optional.of(laptop), true).statusCode());
            assertEquals(401, call(port, "GET", "/api/v1/hosts", null, Optional.empty(), Optional.of(phone), false)
                    .statusCode(), "the revoked session");
            assertEquals(200, call(port, "GET", "/api/v1/hosts", null, Optional.empty(), Optional.of(laptop), false)
                    .statusCode(), "the one that revoked it");
            String viewer = TestApi.token(port, "viewer");
            HttpResponse<String> ofToken = bearer(port, viewer, "GET", "/api/v1/auth/sessions", null);
            assertEquals(200, ofToken.statusCode(), ofToken.body());
            assertEquals("[]", ofToken.body(), "an API token has no sessions of its own");
            long laptopId = mine.stream().filter(s -> s.getBoolean("current")).findFirst().orElseThrow().getInt("id");
            HttpResponse<String> notMine = bearer(port, viewer, "DELETE", "/api/v1/auth/sessions/" + laptopId, null);
            assertEquals(404, notMine.statusCode(), notMine.body());
            assertTrue(notMine.body().contains("an API token has no sessions"), notMine.body());

            TestApi.Session idle = TestApi.login(port, TestApi.ADMIN, TestApi.ADMIN_PASSWORD);
            assertEquals(200, call(port, "GET", "/api/v1/hosts", null, Optional.empty(), Optional.of(idle), false)
                    .statusCode());
            Thread.sleep(2_500);
            HttpResponse<String> expired = call(port, "GET", "/api/v1/hosts", null, Optional.empty(),
                    Optional.of(idle), false);
            assertEquals(401, expired.statusCode());
            assertTrue(expired.body().contains("session has ended"), expired.body());
        }
    }

    @Test
    void usersHaveRolesThePasswordChangeEndsOtherSessionsAndReboootsNeedAnAdminsApproval() throws Exception {
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig().withDryRun(false))) {
            int port = server.port();
            String admin = TestApi.adminToken(port);
            assertEquals(201, bearer(port, admin, "POST", "/api/v1/users",
                    "{\"username\":\"olga\",\"password\":\"operator password 1\",\"role\":\"operator\"}").statusCode());
            HttpResponse<String> sameName = bearer(port, admin, "POST", "/api/v1/users",
                    "{\"username\":\"Olga\",\"password\":\"another password 1\",\"role\":\"admin\"}");
            assertEquals(409, sameName.statusCode(), "taken in another case, a conflict like a host's name: "
                    + sameName.body());
            assertTrue(sameName.body().contains("the username Olga is taken"), sameName.body());
            assertEquals("olga", object(call(port, "GET", "/api/v1/auth/me", null, Optional.empty(),
                    Optional.of(TestApi.login(port, "OLGA", "operator password 1")), false)).getString("name"),
                    "a login by any case is the account's");
            assertEquals(400, bearer(port, admin, "POST", "/api/v1/users",
                    "{\"username\":\"vic\",\"password\":\"short\",\"role\":\"viewer\"}").statusCode());
            assertEquals(409, bearer(port, admin, "DELETE", "/api/v1/users/1", null).statusCode(), "the last admin");

            TestApi.Session first = TestApi.login(port, "olga", "operator password 1");
            TestApi.Session second = TestApi.login(port, "olga", "operator password 1");
            HttpResponse<String> changed = call(port, "POST", "/api/v1/auth/password",
                    "{\"current_password\":\"operator password 1\",\"new_password\":\"operator password 2\"}",
                    Optional.empty(), Optional.of(first), true);
            assertEquals(204, changed.statusCode(), changed.body());
            TestApi.remember("operator password 2");
            assertEquals(200, call(port, "GET", "/api/v1/auth/me", null, Optional.empty(), Optional.of(first), false)
                    .statusCode(), "the session that changed it stays");
            assertEquals(401, call(port, "GET", "/api/v1/auth/me", null, Optional.empty(), Optional.of(second), false)
                    .statusCode(), "the others end");

            HttpResponse<String> host = bearer(port, admin, "POST", "/api/v1/hosts",
                    "{\"name\":\"db-1\",\"url\":\"http://127.0.0.1:1\",\"token\":\"t\",\"interval_seconds\":3600}");
            long hostId = object(host).getJsonNumber("id").longValue();
            HttpResponse<String> reboot = call(port, "POST", "/api/v1/actions", "{\"host_id\":" + hostId
                    + ",\"type\":\"reboot\",\"target\":\"db-1\",\"reason\":\"kernel update\"}", Optional.empty(),
                    Optional.of(first), true);
            assertEquals(201, reboot.statusCode(), "an operator may ask: " + reboot.body());
            assertEquals("olga", object(bearer(port, admin, "GET", "/api/v1/actions/"
                    + object(reboot).getString("id"), null)).getString("requested_by"), "recorded as the user");
            assertEquals("pending_approval", object(reboot).getString("status"));
            HttpResponse<String> approval = call(port, "POST", "/api/v1/actions/" + object(reboot).getString("id")
                    + "/approve", null, Optional.empty(), Optional.of(first), true);
            assertEquals(403, approval.statusCode(), approval.body());
            assertTrue(approval.body().contains("admin"), approval.body());
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndMetricsNeedATokenUnlessOpened() throws Exception {
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            int port = server.port();
            for (String path : List.of("/health/live", "/api/v1/hosts", "/no/such/route")) {
                HttpResponse<String> response = anonymous(port, "GET", path, null);
                assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
                assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(""), path);
                assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""), path);
                assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("")
                        .contains("frame-ancestors 'none'"), path);
            }
            assertEquals(401, anonymous(port, "GET", "/metrics", null).statusCode());
            assertEquals(200, bearer(port, TestApi.token(port, "viewer"), "GET", "/metrics", null).statusCode());
        }
        ServerConfig open = TestDatabase.serverConfig();
        ServerConfig.Security s = open.security();
        try (VigilServer server = VigilServer.start(open.withSecurity(new ServerConfig.Security(s.adminUser(),
                s.adminPassword(), s.bcryptCost(), s.sessionIdle(), s.sessionLifetime(), true)))) {
            assertEquals(200, anonymous(server.port(), "GET", "/metrics", null).statusCode(), "VIGIL_METRICS_OPEN");
        }
    }
}
