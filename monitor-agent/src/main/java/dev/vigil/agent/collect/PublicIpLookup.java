package dev.vigil.agent.collect;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import dev.vigil.agent.collect.Snapshot.PublicIp;

/**
 * The host's address as the internet sees it, asked of a service that answers it as plain text (such as
 * {@code https://api.ipify.org}) once per interval: behind NAT no local interface knows it. Off unless configured,
 * as it is a request that leaves the network. A failed lookup keeps the last address found, logged once.
 */
public final class PublicIpLookup {
    private static final Logger LOG = Logger.getLogger(PublicIpLookup.class.getName());
    private static final int MAX_ANSWER = 256;
    /** Dotted IPv4 or anything with a colon (IPv6): literals only, so reading one never asks DNS. */
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final URI url;
    private final Duration interval;
    private final Duration timeout;
    private final HttpClient client;
    private final AtomicReference<String> latest = new AtomicReference<>();
    private boolean failing;

    public PublicIpLookup(URI url, Duration interval, Duration timeout) {
        this.url = url;
        this.interval = interval;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Duration interval() {
        return interval;
    }

    /** The latest address found; its address is null until a lookup has worked. */
    public PublicIp latest() {
        return new PublicIp(latest.get());
    }

    /** Asks once. Runs on one thread only (the sampler's schedule). */
    public void refresh() {
        try {
            latest.set(ask());
            if (failing) {
                failing = false;
                LOG.info("Public IP lookup at " + url + " works again");
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                LOG.warning("Public IP lookup at " + url + " failed (" + e.getMessage() + "); "
                        + (latest.get() == null ? "no address is reported" : "the last address found stays reported")
                        + " until it works");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String ask() throws IOException, InterruptedException {
        HttpResponse<InputStream> answer = client.send(HttpRequest.newBuilder(url).timeout(timeout)
                .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = answer.body()) {
            if (answer.statusCode() != 200) {
                throw new IOException("it answered HTTP " + answer.statusCode());
            }
            byte[] text = body.readNBytes(MAX_ANSWER + 1);
            if (text.length > MAX_ANSWER) {
                throw new IOException("its answer is longer than " + MAX_ANSWER + " bytes: not an address");
            }
            return address(new String(text, StandardCharsets.US_ASCII).strip());
        }
    }

    /** The answer as a normalised IP literal, or an IOException saying it is none. */
    static String address(String answer) throws IOException {
        if (!LITERAL.matcher(answer).matches()) {
            throw new IOException("its answer is not an IP address");
        }
        try {
            return InetAddress.getByName(answer).getHostAddress();
        } catch (IOException e) {
            throw new IOException("its answer is not an IP address", e);
        }
    }
}
