package dev.vigil.server.watch;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.AgentToken;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;

/**
 * One Server-Sent Events stream per registered host ({@code GET <agent>/api/v1/events}, the read token, the TLS
 * context of polls), each read on a virtual thread over a socket of its own ({@link EventConnection}), so that a unit failure reaches the
 * rules in under a second instead of at the next poll ({@link PartialSamples}). Streams only add to polling, which
 * never stops: a stream that breaks reconnects with exponential backoff and jitter, sending the
 * {@code Last-Event-ID} of the last event it got (the agent replays what was missed, or says {@code reset}, and
 * then the host is polled at once); an agent without the endpoint (404, 405) is asked again rarely; garbage drops
 * the stream with one log line. At most {@code maxConnecting} connections are being set up at once, so a fleet
 * restart does not open thousands of TLS handshakes together, and a watchdog closes streams silent for longer than
 * {@code idleTimeout} (the agent sends a heartbeat every 15 s).
 */
public final class AgentStreams implements HostStore.Listener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentStreams.class.getName());

    /**
     * @param connectTimeout  TCP and TLS connect
     * @param headersTimeout  from the request to the answer's headers
     * @param idleTimeout     a stream without a byte for this long is closed and reconnected
     * @param firstBackoff    the first wait before reconnecting; it doubles per failure, up to {@code maxBackoff}
     * @param stableAfter     a stream open for this long counts as having worked: the backoff starts over
     * @param noEndpointRetry how long an agent that has no event stream (404, 405) waits to be asked again
     * @param maxConnecting   connections being set up at once, over all hosts
     * @param maxLine         the longest line of a stream (bytes); longer is garbage
     * @param maxFrame        the longest event (bytes); longer is garbage
     */
    public record Settings(Duration connectTimeout, Duration headersTimeout, Duration idleTimeout,
                           Duration firstBackoff, Duration maxBackoff, Duration stableAfter, Duration noEndpointRetry,
                           int maxConnecting, int maxLine, int maxFrame) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(45), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofMinutes(10), 64, 16 * 1024, 64 * 1024);
    }

    /** How a connection ended, which sets the wait before the next. */
    private enum Ended { WORKED, FAILED, NO_ENDPOINT, STOPPED }

    private final Settings settings;
    private final boolean enabled;
    private final Poller poller;
    private final PartialSamples partials;
    private final SSLContext tls;
    private final Semaphore connecting;
    private final Map<Long, Stream> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-agent-streams-watchdog").daemon().factory());
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder events = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    /**
     * @param enabled false ({@code VIGIL_AGENTS_EVENTS=false}): no stream is opened, every host is polled alone
     * @param partials where the events go: the poll path's stage in front of the rules
     * @param tls      {@link AgentTls#context}, as the poller's
     */
    public AgentStreams(Settings settings, boolean enabled, Poller poller, PartialSamples partials, SSLContext tls) {
        this.settings = settings;
        this.enabled = enabled;
        this.poller = poller;
        this.partials = partials;
        this.connecting = new Semaphore(settings.maxConnecting());
        this.tls = tls;
        long every = Math.max(100, settings.idleTimeout().toMillis() / 3);
        watchdog.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void registered(Host host, Host.Credentials credentials) {
        stop(host.id());
        Stream stream = new Stream(host, credentials);
        streams.put(host.id(), stream);
        Optional<String> unsendable = AgentToken.problem(credentials.token());
        if (enabled && unsendable.isEmpty()) {
            stream.thread = Thread.ofVirtual().name("agent-stream-" + host.id()).start(stream::run);
        }
    }

    @Override
    public synchronized void removed(long hostId) {
        stop(hostId);
        partials.forget(hostId);
    }

    private void stop(long hostId) {
        Stream old = streams.remove(hostId);
        if (old != null) {
            old.stop();
        }
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /** Registered hosts without an open stream: they are polled alone. */
    public int pollingAlone() {
        return Math.max(0, streams.size() - open.get());
    }

    /** Events received over all streams: unit, probe, reset (heartbeats are no events). */
    public long eventsReceived() {
        return events.sum();
    }

    /** Connections made again after a stream ended, failed or was refused. */
    public long reconnects() {
        return reconnects.sum();
    }

    private void closeIdle() {
        long now = System.nanoTime();
        long idle = settings.idleTimeout().toNanos();
        streams.values().forEach(stream -> {
            if (stream.body != null && now - stream.lastActivity > idle) {
                stream.reason = "no byte for " + settings.idleTimeout().toSeconds() + " s";
                stream.closeBody();
            }
        });
    }

    @Override
    public synchronized void close() {
        watchdog.shutdownNow();
        streams.keySet().forEach(this::stop);
    }

    /** The stream of one host, read on its own virtual thread. */
    private final class Stream {
        private final Host host;
        private final Host.Credentials credentials;
        private final URI uri;
        private volatile Thread thread;
        private volatile boolean stopped;
        private volatile EventConnection body;
        private volatile long lastActivity;
        /** Why the watchdog closed the stream, for the log line. */
        private volatile String reason;
        private Optional<String> lastEventId = Optional.empty();
        /** The stream is known to be broken (logged once until it is back). */
        private boolean broken;
        /** The agent has no event stream (logged once until it has one). */
        private boolean withoutEndpoint;

        Stream(Host host, Host.Credentials credentials) {
            this.host = host;
            this.credentials = credentials;
            this.uri = URI.create(host.url().toString().replaceAll("/+$", "") + "/api/v1/events");
        }

        void run() {
            int failures = 0;
            while (!stopped) {
                Ended ended;
                try {
                    ended = connect();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "The event stream of host " + host.name() + " failed unexpectedly", e);
                    ended = Ended.FAILED;
                }
                failures = ended == Ended.WORKED ? 0 : failures + 1;
                Duration wait = switch (ended) {
                    case STOPPED -> Duration.ZERO;
                    case NO_ENDPOINT -> settings.noEndpointRetry();
                    case WORKED, FAILED -> backoff(Math.max(1, failures));
                };
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                if (!stopped) {
                    reconnects.increment();
                }
            }
        }

        /** The n-th wait: first × 2^(n-1), at most the maximum, of which a random half (jitter). */
        private Duration backoff(int failures) {
            long first = settings.firstBackoff().toMillis();
            long full = Math.min(settings.maxBackoff().toMillis(), first << Math.min(failures - 1, 20));
            return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
        }

        private Ended connect() throws InterruptedException {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", "Bearer " + credentials.token());
            headers.put("Accept", "text/event-stream");
            lastEventId.ifPresent(id -> headers.put("Last-Event-ID", id));
            EventConnection connection;
            connecting.acquire();
            try {
                connection = EventConnection.open(uri, tls, settings.connectTimeout(), settings.headersTimeout(),
                        headers);
            } catch (IOException e) {
                return failed(AgentTls.failure(e).orElse(String.valueOf(e.getMessage())));
            } finally {
                connecting.release();
            }
            int status = connection.status();
            if (status != 200) {
                close(connection);
                if (status == 404 || status == 405) {
                    if (!withoutEndpoint) {
                        LOG.info("The agent of host " + host.name() + " has no event stream (" + status + "): it is"
                                + " polled alone, and asked again every " + settings.noEndpointRetry().toMinutes()
                                + " min");
                    }
                    withoutEndpoint = true;
                    broken = true;
                    return Ended.NO_ENDPOINT;
                }
                return failed("the agent answered " + status);
            }
            String type = connection.header("Content-Type").orElse("");
            if (!type.startsWith("text/event-stream")) {
                close(connection);
                return failed("the answer is " + (type.isEmpty() ? "of no type" : type) + ", not text/event-stream");
            }
            return read(connection);
        }

        private Ended read(EventConnection connection) {
            long openedAt = System.nanoTime();
            lastActivity = openedAt;
            reason = null;
            body = connection;
            open.incrementAndGet();
            withoutEndpoint = false;
            if (broken) {
                LOG.info("The event stream of host " + host.name() + " is open again");
                broken = false;
            }
            String ended;
            try {
                if (stopped) {
                    return Ended.STOPPED;
                }
                SseReader reader = new SseReader(connection.body(), settings.maxLine(), settings.maxFrame(),
                        () -> lastActivity = System.nanoTime());
                for (Optional<SseReader.Frame> frame = reader.next(); frame.isPresent(); frame = reader.next()) {
                    handle(frame.get());
                }
                ended = "the agent ended it";
            } catch (SseReader.Garbage e) {
                LOG.warning("The event stream of host " + host.name() + " sent " + e.getMessage() + ": dropped; the"
                        + " host is polled alone until it reconnects");
                broken = true;
                return Ended.FAILED;
            } catch (IOException e) {
                ended = reason != null ? reason : String.valueOf(e.getMessage());
            } finally {
                body = null;
                open.decrementAndGet();
                close(connection);
            }
            if (stopped) {
                return Ended.STOPPED;
            }
            failed(ended);
            return System.nanoTime() - openedAt >= settings.stableAfter().toNanos() ? Ended.WORKED : Ended.FAILED;
        }

        private void handle(SseReader.Frame frame) throws SseReader.Garbage {
            frame.id().ifPresent(id -> lastEventId = Optional.of(id));
            Optional<AgentEvent> event = AgentEvent.of(frame);
            if (event.isEmpty()) {
                return;
            }
            events.increment();
            switch (event.get()) {
                case AgentEvent.Reset ignored -> refresh();
                case AgentEvent.Change change -> partials.apply(host.id(), change);
            }
        }

        /** Changes may have been missed: the host is polled at once, without holding up the stream. */
        private void refresh() {
            Thread.ofVirtual().name("agent-stream-refresh-" + host.id()).start(() -> {
                try {
                    poller.refresh(host.id());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warning("Host " + host.name() + "'s agent reset its event stream, and the poll it asks for"
                            + " failed: " + e.getMessage());
                }
            });
        }

        /** Says once that the stream is broken (until it is back); the wait is the caller's. */
        private Ended failed(String why) {
            if (!broken && !stopped) {
                LOG.info("The event stream of host " + host.name() + " broke (" + why + "): the host is polled"
                        + " alone until it is back");
            }
            broken = true;
            return Ended.FAILED;
        }

        void stop() {
            stopped = true;
            closeBody();
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }

        void closeBody() {
            EventConnection connection = body;
            if (connection != null) {
                close(connection);
            }
        }

        private static void close(EventConnection connection) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "Closing an event stream", e);
            }
        }
    }
}
