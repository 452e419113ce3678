package dev.vigil.server.poll;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.poll.Poller.Recovered;
import dev.vigil.server.store.History;
import dev.vigil.server.store.SampleWriter;

/**
 * Fills the hole an outage leaves in a host's stored samples. After a good poll that follows failed ones, or the
 * first good poll since the server started, it asks the agent for its history since the last stored sample
 * ({@code GET /api/v1/metrics/history?since=}) when that sample is more than one and a half intervals older than
 * the polled one. The snapshots in between go to the store marked as backfilled, never to the rules: they are
 * the past, and decisions are made on live samples. One backfill per host at a time, a few hosts at once (each
 * answer is held whole, up to {@link Settings#maxBodyBytes}). A failure is logged once per host until a backfill
 * of that host works again, and is not retried: the next recovery tries again.
 */
public final class Backfill implements Poller.Recovery, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Backfill.class.getName());

    /**
     * @param maxAge the furthest back a last stored sample is looked for: the longest history an agent keeps
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int maxBodyBytes, int maxConcurrent,
                           Duration maxAge) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(30),
                32 * 1024 * 1024, 4, Duration.ofDays(7));
    }

    /** How a backfill ended: {@code unsupported} is an agent without the history endpoint (404 or 405). */
    public enum Outcome {
        OK,
        FAILED,
        UNSUPPORTED;

        public String label() {
            return name().toLowerCase();
        }
    }

    private final Settings settings;
    private final AgentClient client;
    private final SampleWriter samples;
    private final History stored;
    private final Clock clock;
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("backfill-", 0).factory());
    private final Semaphore slots;
    private final Set<Long> underWay = ConcurrentHashMap.newKeySet();
    /** The last outcome logged of each host whose backfill did not work: said once, not at every attempt. */
    private final Map<Long, Outcome> logged = new ConcurrentHashMap<>();
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder backfilled = new LongAdder();

    /** @param tls the agents' TLS context, as polls use it ({@link AgentTls#context}) */
    public Backfill(Settings settings, SSLContext tls, SampleWriter samples, History stored, Clock clock) {
        this.settings = settings;
        this.client = new AgentClient(settings.connectTimeout(), settings.readTimeout(), settings.maxBodyBytes(), tls);
        this.samples = samples;
        this.stored = stored;
        this.clock = clock;
        this.slots = new Semaphore(settings.maxConcurrent());
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    @Override
    public void recovered(Recovered recovered) {
        long hostId = recovered.host().id();
        if (!underWay.add(hostId)) {
            return;
        }
        work.execute(() -> {
            try {
                slots.acquire();
                try {
                    fill(recovered);
                } finally {
                    slots.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Backfill of " + recovered.host().name() + " failed", e);
                report(recovered, Outcome.FAILED, e.getMessage());
            } finally {
                underWay.remove(hostId);
            }
        });
    }

    private void fill(Recovered recovered) throws InterruptedException {
        Instant polled = recovered.collectedAt();
        Optional<Instant> last = recovered.lastCollectedAt().or(() -> stored.lastCollectedAt(recovered.host().id(),
                polled, clock.instant().minus(settings.maxAge())));
        Duration slack = recovered.interval().dividedBy(2);
        if (last.isEmpty() || !Duration.between(last.get(), polled).minus(slack).minus(recovered.interval())
                .isPositive()) {
            return; // a new host, or no step missing
        }
        Instant since = last.get();
        AgentClient.Answer answer = client.get(URI.create(recovered.metrics() + "/history?since=" + seconds(since)),
                recovered.token());
        if (answer.status() == 404 || answer.status() == 405) {
            report(recovered, Outcome.UNSUPPORTED, "the agent has no history endpoint (" + answer.status()
                    + "; agents before issue 14)");
            return;
        }
        if (answer.outcome() != PollOutcome.OK) {
            report(recovered, Outcome.FAILED, answer.outcome().label() + ": " + answer.detail());
            return;
        }
        List<AgentSnapshot> missing;
        try {
            missing = AgentSnapshot.history(answer.body()).stream()
                    .filter(s -> s.collectedAt().isAfter(since) && s.collectedAt().isBefore(polled))
                    .sorted(Comparator.comparing(AgentSnapshot::collectedAt))
                    .toList();
        } catch (AgentSnapshot.BadPayload e) {
            report(recovered, Outcome.FAILED, "bad_payload: " + e.getMessage());
            return;
        }
        samples.backfill(recovered.host().id(), missing, clock.instant());
        backfilled.add(missing.size());
        report(recovered, Outcome.OK, missing.size() + " samples between " + since + " and " + polled);
    }

    /** Epoch seconds, as the history endpoint takes them: whole, or with the fraction the time has. */
    private static String seconds(Instant at) {
        return BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private void report(Recovered recovered, Outcome outcome, String detail) {
        outcomes.get(outcome).increment();
        String host = recovered.host().name();
        if (outcome == Outcome.OK) {
            logged.remove(recovered.host().id());
            LOG.info("Backfilled " + host + ": " + detail);
        } else if (logged.put(recovered.host().id(), outcome) != outcome) {
            LOG.warning("Cannot backfill the gap of " + host + " (" + outcome.label() + ": " + detail
                    + "); polling goes on, the gap stays, and the next recovery of the host tries again (said once"
                    + " per host)");
        }
    }

    /** Backfills by outcome. */
    public long backfills(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Samples fetched from agents' history and handed to the store. */
    public long backfilledSamples() {
        return backfilled.sum();
    }

    @Override
    public void close() {
        work.shutdownNow();
        client.close();
    }
}
