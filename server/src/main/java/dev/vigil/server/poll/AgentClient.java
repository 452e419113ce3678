package dev.vigil.server.poll;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.agents.LimitedBody;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

/**
 * Fetches agents' snapshots (and their history) over keep-alive HTTP/1.1 connections (the JDK's client: Helidon 4.1's WebClient
 * hex-dumps every body chunk it reads for a trace log line, whether or not tracing is on, which cost half of
 * the server's CPU at 5,000 hosts). The whole exchange, body included, ends within connect + read timeout,
 * and reading stops at {@code maxBodyBytes}.
 */
final class AgentClient implements AutoCloseable {
    /**
     * What came back: an outcome, the HTTP status (0 when there was none), and the body when the outcome is
     * {@link PollOutcome#OK}.
     */
    record Answer(PollOutcome outcome, String detail, int status, byte[] body) {
        static Answer failed(PollOutcome outcome, String detail) {
            return new Answer(outcome, detail, 0, null);
        }
    }

    private final HttpClient http;
    private final Duration readTimeout;
    private final long deadlineMillis;
    private final int maxBodyBytes;

    AgentClient(Duration connectTimeout, Duration readTimeout, int maxBodyBytes, SSLContext tls) {
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.readTimeout = readTimeout;
        this.deadlineMillis = connectTimeout.plus(readTimeout).toMillis();
        this.maxBodyBytes = maxBodyBytes;
    }

    Answer get(URI uri, String token) throws InterruptedException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .timeout(readTimeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the refused value, which may be the token: it goes no further
            return Answer.failed(PollOutcome.NOT_SENT, "the request could not be built from the host's URL and"
                    + " token (" + e.getClass().getSimpleName() + ")");
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info ->
                info.statusCode() == 200 ? new LimitedBody(maxBodyBytes) : new LimitedBody(0));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return Answer.failed(PollOutcome.TIMEOUT, "no answer in time");
        } catch (ExecutionException e) {
            return classify(e.getCause());
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return new Answer(PollOutcome.UNAUTHORIZED, "the agent refused the read token (" + status + ")", status,
                    null);
        }
        if (status != 200) {
            return new Answer(PollOutcome.HTTP_ERROR, "the agent answered " + status, status, null);
        }
        return new Answer(PollOutcome.OK, "", status, response.body());
    }

    private Answer classify(Throwable failure) {
        Optional<String> tls = AgentTls.failure(failure);
        if (tls.isPresent()) {
            return Answer.failed(PollOutcome.UNREACHABLE, tls.get());
        }
        boolean timedOut = false;
        boolean refused = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case LimitedBody.TooLarge ignored -> {
                    return Answer.failed(PollOutcome.OVERSIZED, "the answer is larger than "
                            + maxBodyBytes / 1024 + " KiB");
                }
                case UnresolvedAddressException ignored -> {
                    return Answer.failed(PollOutcome.UNREACHABLE, "unknown host");
                }
                case UnknownHostException unknown -> {
                    return Answer.failed(PollOutcome.UNREACHABLE, "unknown host " + unknown.getMessage());
                }
                case HttpTimeoutException ignored -> timedOut = true;
                case SocketTimeoutException ignored -> timedOut = true;
                case ConnectException ignored -> refused = true;
                default -> {
                }
            }
        }
        if (timedOut) {
            return Answer.failed(PollOutcome.TIMEOUT, "no answer in time");
        }
        if (refused) {
            return Answer.failed(PollOutcome.REFUSED, "connection refused");
        }
        return Answer.failed(PollOutcome.UNREACHABLE, String.valueOf(failure.getMessage()));
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
