package dev.vigil.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /}: the admin UI, the static build of the {@code frontend} module ({@code vigil-ui/} on the classpath).
 * Hashed files under {@code /assets/} are cached for a year; every other GET that is not the API, health or metrics
 * is a client route and gets {@code index.html} ({@code no-cache}) with a fresh CSP nonce: the only styles the page
 * may inject (CodeMirror's) carry it, and scripts stay {@code 'self'} only.
 */
public final class UiService {
    private static final Logger LOG = Logger.getLogger(UiService.class.getName());
    private static final String ROOT = "vigil-ui/";
    private static final String NONCE_PLACEHOLDER = "__CSP_NONCE__";
    /** Vite's output names: letters, digits, dash, underscore, dots; never a path. */
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "woff2", "font/woff2",
            "json", "application/json",
            "map", "application/json");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Asset(String type, byte[] plain, byte[] gzipped) {
    }

    private final ClassLoader loader;
    private final Optional<String> index;
    /** The files found so far; a miss is not kept, so asking for made-up names cannot grow this. */
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    public UiService(ClassLoader loader) {
        this.loader = loader;
        this.index = read(ROOT + "index.html").map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        if (index.isEmpty()) {
            LOG.warning("The admin UI is not in this build (no vigil-ui/index.html on the classpath): / answers 404;"
                    + " build with ./mvnw package (the frontend module) to serve it");
        }
    }

    /** Whether the UI's files are in this build. */
    public boolean present() {
        return index.isPresent();
    }

    /** Registers the UI's routes; call after the API's services and before {@link ApiErrors#register}. */
    public void register(HttpRouting.Builder routing) {
        routing.get("/assets/{name}", this::asset)
                .get("/*", this::page);
    }

    private void asset(ServerRequest request, ServerResponse response) {
        String name = request.path().pathParameters().get("name");
        Optional<Asset> asset = ASSET.matcher(name).matches() ? asset(name) : Optional.empty();
        if (asset.isEmpty()) {
            ApiErrors.send(response, Status.NOT_FOUND_404, "no such file: /assets/" + ApiErrors.shown(name));
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, asset.get().type())
                .header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        send(request, response, asset.get().plain(), asset.get().gzipped());
    }

    private void page(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/health") || path.equals("/metrics")
                || index.isEmpty()) {
            response.next();
            return;
        }
        String nonce = nonce();
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .header(SecurityHeaders.CONTENT_SECURITY_POLICY, SecurityHeaders.policy(nonce));
        byte[] page = index.get().replace(NONCE_PLACEHOLDER, nonce).getBytes(StandardCharsets.UTF_8);
        send(request, response, page, gzip(page));
    }

    private static void send(ServerRequest request, ServerResponse response, byte[] plain, byte[] gzipped) {
        response.header(HeaderValues.create(HeaderNames.VARY, "Accept-Encoding"));
        boolean gzip = request.headers().first(HeaderNames.ACCEPT_ENCODING).map(v -> v.contains("gzip")).orElse(false);
        if (gzip) {
            response.header(HeaderNames.CONTENT_ENCODING, "gzip").send(gzipped);
        } else {
            response.send(plain);
        }
    }

    private Optional<Asset> asset(String name) {
        Asset known = assets.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Asset> loaded = load(name);
        loaded.ifPresent(asset -> assets.putIfAbsent(name, asset));
        return loaded;
    }

    private Optional<Asset> load(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return read(ROOT + "assets/" + name).map(bytes -> new Asset(
                TYPES.getOrDefault(extension, "application/octet-stream"), bytes, gzip(bytes)));
    }

    private Optional<byte[]> read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the UI's jar", e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
