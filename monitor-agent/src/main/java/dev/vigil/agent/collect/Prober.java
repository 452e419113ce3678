package dev.vigil.agent.collect;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

import dev.vigil.agent.collect.Snapshot.ProbeResult;

/**
 * Runs the configured probes, each check on a virtual thread of its own, and keeps the latest finished result of
 * each with its failures in a row. A check ends within the timeout; a probe whose check is still running is not
 * started again, so a hanging service costs one thread, not one per interval.
 */
public final class Prober implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Prober.class.getName());

    private final List<Track> tracks;
    private final Duration timeout;
    private final HttpClient http;
    private final Consumer<ProbeResult> onTransition;

    /** One probe's state; only the thread that won {@code checking} touches {@code consecutiveFailures}. */
    private static final class Track {
        final Probe probe;
        final AtomicBoolean checking = new AtomicBoolean();
        int consecutiveFailures;
        volatile ProbeResult latest;

        Track(Probe probe) {
            this.probe = probe;
        }
    }

    public Prober(List<Probe> probes, Duration timeout) {
        this(probes, timeout, result -> { });
    }

    /**
     * {@code onTransition} hears, on the check's thread, every result whose {@code ok} differs from the last one,
     * or whose failures in a row changed while failing (a probe that has not run yet counts as passing).
     */
    public Prober(List<Probe> probes, Duration timeout, Consumer<ProbeResult> onTransition) {
        this.tracks = probes.stream().map(Track::new).toList();
        this.timeout = timeout;
        this.onTransition = onTransition;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** Starts a check of every probe whose last check has finished, and returns the threads it started. */
    public List<Thread> launch() {
        List<Thread> started = new ArrayList<>(tracks.size());
        for (Track track : tracks) {
            if (track.checking.compareAndSet(false, true)) {
                started.add(Thread.ofVirtual().name("vigil-probe-" + track.probe.name()).start(() -> {
                    try {
                        ProbeResult before = track.latest;
                        ProbeResult result = check(track);
                        track.latest = result;
                        if (transition(before, result)) {
                            onTransition.accept(result);
                        }
                    } finally {
                        track.checking.set(false);
                    }
                }));
            }
        }
        return started;
    }

    private static boolean transition(ProbeResult before, ProbeResult after) {
        boolean wasOk = before == null || before.ok();
        int failuresBefore = before == null ? 0 : before.consecutiveFailures();
        return wasOk != after.ok() || !after.ok() && failuresBefore != after.consecutiveFailures();
    }

    /** The latest finished result of every probe that has one, in the configured order. */
    public List<ProbeResult> latest() {
        return tracks.stream().map(track -> track.latest).filter(Objects::nonNull).toList();
    }

    private ProbeResult check(Track track) {
        Probe probe = track.probe;
        long start = System.nanoTime();
        Optional<String> failure = probe.http() ? httpGet(probe.target()) : tcpConnect(probe.target());
        double latencyMs = Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
        if (failure.isEmpty() && track.consecutiveFailures > 0) {
            LOG.info(() -> "Probe " + probe.name() + " (" + probe.target() + ") passes again after "
                    + track.consecutiveFailures + " failures");
        }
        track.consecutiveFailures = failure.isPresent() ? track.consecutiveFailures + 1 : 0;
        if (track.consecutiveFailures == 1) {
            LOG.warning(() -> "Probe " + probe.name() + " (" + probe.target() + ") fails: " + failure.get());
        }
        return new ProbeResult(probe.name(), probe.unit(), probe.target().toString(), failure.isEmpty(), latencyMs,
                failure.orElse(null), track.consecutiveFailures);
    }

    /** A GET that answers 200–399 passes; redirects are not followed, the body is not read beyond its end. */
    private Optional<String> httpGet(URI target) {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request,
                HttpResponse.BodyHandlers.discarding());
        try {
            int status = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return status >= 200 && status < 400 ? Optional.empty() : Optional.of("HTTP " + status);
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of(describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            response.cancel(true);
        }
    }

    private Optional<String> tcpConnect(URI target) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), (int) timeout.toMillis());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(describe(e));
        }
    }

    /** Says why a check failed in a few words: {@code connection refused}, {@code timed out after 2s}, … */
    private String describe(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof SocketTimeoutException) {
                return "timed out after " + (timeout.toMillis() % 1000 == 0
                        ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms");
            }
            if (t instanceof ConnectException) {
                return t.getMessage() == null ? "connection refused" : t.getMessage().toLowerCase(Locale.ROOT);
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            root = t;
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
