package dev.vigil.server;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.json.Json;

/**
 * The accounts of servers under test: every test server has the admin {@link #ADMIN} (from
 * {@code VIGIL_ADMIN_USER}/{@code VIGIL_ADMIN_PASSWORD}); {@link #adminToken} logs in as them and issues an admin
 * API token for the test's calls, through the API like any operator would.
 */
public final class TestApi {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every secret a test saw: the log scan (SecretScanIT) looks for each in the logs of the whole suite. */
    public static final Path SECRETS_SEEN = Path.of("target", "test-secrets.txt").toAbsolutePath();

    private TestApi() {
    }

    /** A new admin API token for the server on this port. */
    public static String adminToken(int port) {
        return token(port, "admin");
    }

    /** A request to the test server at this URI with an admin's API token. */
    public static HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + adminToken(uri.getPort()));
    }

    /** A browser session of a user: its cookies, and the CSRF token to send back. */
    public record Session(String cookie, String csrf) {
    }

    public static Session login(int port, String username, String password) {
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri(port, "/api/v1/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("username", username)
                        .add("password", password).build().toString())).build());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("login as " + username + ": " + login.statusCode() + " " + login.body());
        }
        String session = remember(cookie(login, "VIGIL_SESSION"));
        String csrf = remember(cookie(login, "XSRF-TOKEN"));
        remember(password);
        return new Session("VIGIL_SESSION=" + session + "; XSRF-TOKEN=" + csrf, csrf);
    }

    /** A new API token of this role, issued by the test admin, who logs out again. */
    public static String token(int port, String role) {
        Session admin = login(port, ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> issued = send(HttpRequest.newBuilder(uri(port, "/api/v1/tokens"))
                .header("Cookie", admin.cookie()).header("X-XSRF-TOKEN", admin.csrf())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"test " + role + " " + System.nanoTime()
                        + "\",\"role\":\"" + role + "\"}")).build());
        if (issued.statusCode() != 201) {
            throw new IllegalStateException("issuing a token: " + issued.statusCode() + " " + issued.body());
        }
        send(HttpRequest.newBuilder(uri(port, "/api/v1/auth/logout")).header("Cookie", admin.cookie())
                .header("X-XSRF-TOKEN", admin.csrf()).POST(HttpRequest.BodyPublishers.noBody()).build());
        return remember(Json.createReader(new StringReader(issued.body())).readObject().getString("token"));
    }

    /** Notes a secret for the log scan; returns it. */
    public static synchronized String remember(String secret) {
        try {
            Files.createDirectories(SECRETS_SEEN.getParent());
            Files.writeString(SECRETS_SEEN, secret + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return secret;
    }

    public static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + name + " cookie in "
                        + response.headers().allValues("Set-Cookie")));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
