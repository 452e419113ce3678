package dev.vigil.server.api;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin UI at /: index.html for client routes with a fresh style nonce, hashed assets cached for a year. */
class UiApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern NONCE = Pattern.compile("<meta name=\"csp-nonce\" content=\"([^\"]+)\"");
    private static final Pattern SCRIPT = Pattern.compile("<script type=\"module\" crossorigin src=\"/assets/([^\"]+)\"");
    private static VigilServer server;

    @BeforeAll
    static void start() {
        server = VigilServer.start(TestDatabase.serverConfig());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void everyClientRouteIsTheIndexWithAFreshNonceInTheStrictPolicy() throws Exception {
        HttpResponse<byte[]> root = get("/", null);
        HttpResponse<byte[]> clientRoute = get("/hosts/3?range=24h", null);
        for (HttpResponse<byte[]> page : java.util.List.of(root, clientRoute)) {
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
            Matcher nonce = NONCE.matcher(text(page));
            assertTrue(nonce.find(), "the page carries its nonce: " + text(page));
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(policy.contains("script-src 'self';"), policy);
            assertTrue(policy.contains("style-src 'self' 'nonce-" + nonce.group(1) + "';"), policy);
            assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
            assertFalse(text(page).contains("__CSP_NONCE__"));
            assertFalse(text(page).contains("<script>"), "no inline script");
        }
        Matcher first = NONCE.matcher(text(root));
        Matcher second = NONCE.matcher(text(clientRoute));
        assertTrue(first.find() && second.find());
        assertNotEquals(first.group(1), second.group(1), "a nonce is used once");
    }

    @Test
    void hashedAssetsAreCachedForAYearAndSentGzippedToWhoeverTakesIt() throws Exception {
        Matcher script = SCRIPT.matcher(text(get("/", null)));
        assertTrue(script.find(), "index.html loads its script from /assets");
        HttpResponse<byte[]> plain = get("/assets/" + script.group(1), null);
        assertEquals(200, plain.statusCode());
        assertEquals("text/javascript; charset=utf-8", plain.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("public, max-age=31536000, immutable", plain.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(plain.headers().firstValue("Content-Security-Policy").isPresent());

        HttpResponse<byte[]> zipped = get("/assets/" + script.group(1), "gzip, deflate");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        assertTrue(zipped.body().length < plain.body().length / 2, "compressed");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertEquals(text(plain), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void unknownAssetsAndApiPathsStayJson404s() throws Exception {
        for (String path : new String[] {"/assets/nothing-here.js", "/assets/%2e%2e", "/assets/.hidden",
                "/api/v1/nothing", "/api/v2/hosts"}) {
            HttpResponse<byte[]> response = get(path, null);
            assertEquals(404, response.statusCode(), path);
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow(), path);
            assertTrue(text(response).contains("\"error\":\"not_found\""), path + ": " + text(response));
        }
    }

    @Test
    void aPathOutOfTheAssetsIsAClientRouteNeverAFileOfTheServer() throws Exception {
        for (String path : new String[] {"/assets/..%2Fapplication.yaml", "/assets/../application.yaml",
                "/vigil-ui/index.html/../../application.yaml", "/statements.yaml"}) {
            HttpResponse<byte[]> response = get(path, null);
            assertFalse(text(response).contains("statements:") || text(response).contains("vigil:"), path);
        }
    }

    @Test
    void theSetupStateIsPublicSoThePageKnowsWhetherToAskForTheFirstAdmin() throws Exception {
        HttpResponse<byte[]> setup = get("/api/v1/auth/setup", null);
        assertEquals(200, setup.statusCode());
        assertEquals("{\"needed\":" + server.needsSetup() + "}", text(setup));
    }
}
