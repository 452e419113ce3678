import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import dev.vigil.server.model.AgentSnapshot;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.SampleWriter;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;

/**
 * Measures the Vigil server's ingest against an agent farm: whether it polls N agents at their interval into
 * MariaDB without losing a sample, how long a sample takes from the agent's answer to its committed row, what
 * that costs in CPU — and, in the same run and the same MariaDB, how fast plain JDBC batches insert the same kind
 * of rows, so that the server's ingest is a ratio of the raw rate.
 *
 * Single-file program, started by server/bench/run.sh once the server and the farm (AgentFarm.java) are up:
 * java -cp server/target/vigil-server.jar IngestBench.java --server URL --farm URL --server-pid PID --db-port PORT
 *      [--hosts 1000] [--token T] --api-token SERVER_TOKEN [--interval 10] [--warmup 60] [--measure 300] [--raw-seconds 30]
 * Exits 0 when the server sustained the hosts (every poll answered and stored, nothing dropped), else 1.
 */
public class IngestBench {
    private static final long CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> EXPECTED_METRICS = List.of("vigil_polls_total", "vigil_poll_duration_seconds",
            "vigil_samples_written_total", "vigil_sample_buffer_depth", "vigil_samples_dropped_total",
            "vigil_sample_store_latency_seconds", "vigil_hosts");
    /** The server's own statement insert-sample (server/src/main/resources/statements.yaml), into the scratch table. */
    private static final String RAW_INSERT = Database.statement("insert-sample")
            .replace("INTO samples (", "INTO samples_raw (");
    private static final int RAW_BATCH = 1000;
    private static final int RAW_DETAILS = 500;
    /** The last poll of the window may take the poller's 5 s read timeout, then the writer's 1 s flush. */
    private static final Duration STORE_GRACE = Duration.ofSeconds(8);

    record Options(URI server, URI farm, long serverPid, int dbPort, int hosts, String token, int intervalSeconds,
                   int warmupSeconds, int measureSeconds, int rawSeconds, String apiToken) {
        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 == args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, not " + args[i]);
                }
                given.put(args[i].substring(2), args[i + 1]);
            }
            Options options = new Options(URI.create(take(given, "server", null)),
                    URI.create(take(given, "farm", null)), Long.parseLong(take(given, "server-pid", null)),
                    Integer.parseInt(take(given, "db-port", null)), Integer.parseInt(take(given, "hosts", "1000")),
                    take(given, "token", "bench-token"), Integer.parseInt(take(given, "interval", "10")),
                    Integer.parseInt(take(given, "warmup", "60")), Integer.parseInt(take(given, "measure", "300")),
                    Integer.parseInt(take(given, "raw-seconds", "30")), take(given, "api-token", null));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + String.join(", --", given.keySet()));
            }
            return options;
        }

        private static String take(Map<String, String> given, String name, String fallback) {
            String value = given.remove(name);
            if (value == null && fallback == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value == null ? fallback : value;
        }

        double expectedPollsPerSecond() {
            return (double) hosts / intervalSeconds;
        }
    }

    /** The farm's counts: answers so far, event streams open now, events sent over them so far. */
    record FarmStats(long pid, long answered, long streamsOpen, long streamEvents) {
    }

    /** Everything read at one end of the measured window. */
    record Reading(long nanos, Instant at, Scrape metrics, FarmStats farm, long serverTicks, long databaseTicks,
                   long farmTicks, double serverRssMiB, double databaseRssMiB) {
    }

    /** Snapshots the farm answered with a collected_at inside the window, and the rows MariaDB holds for them. */
    record Accounting(long fromEpochSecond, long toEpochSecond, long answered, long stored) {
        long missing() {
            return answered - stored;
        }
    }

    record RawRun(long rows, double seconds, double clientCpuSeconds, double databaseCpuSeconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        double cpuMillisPer1000Rows() {
            return (clientCpuSeconds + databaseCpuSeconds) * 1e6 / rows;
        }
    }

    /** CPU the server's JVM and its MariaDB use per second with no host registered. */
    record Idle(double serverCores, double databaseCores) {
    }

    record RawResults(double meanDetailBytes, RawRun atLoad, RawRun ceiling, RawRun serverPath) {
    }

    record Window(Options options, Idle idle, Reading start, Reading end, Accounting accounting, long databasePid) {
        double seconds() {
            return (end.nanos() - start.nanos()) / 1e9;
        }

        double rate(String metric, String... labels) {
            return delta(metric, labels) / seconds();
        }

        /** The increase of a counter over the window; a series that appeared during it started from 0. */
        double delta(String metric, String... labels) {
            double before = start.metrics().value(metric, labels);
            return end.metrics().value(metric, labels) - (Double.isNaN(before) ? 0 : before);
        }

        Histogram histogram(String metric) {
            return end.metrics().histogram(metric).minus(start.metrics().histogram(metric));
        }

        double cpuSeconds(long startTicks, long endTicks) {
            return (endTicks - startTicks) / (double) CLOCK_TICKS;
        }

        /** CPU of the server's JVM and its MariaDB over the window, beyond what they use idle. */
        double serverPathCpuSecondsAboveIdle() {
            return cpuSeconds(start.serverTicks(), end.serverTicks()) + cpuSeconds(start.databaseTicks(),
                    end.databaseTicks()) - (idle.serverCores() + idle.databaseCores()) * seconds();
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("IngestBench: " + e.getMessage() + "\nusage: java -cp mariadb-java-client.jar"
                    + " IngestBench.java --server URL --farm URL --server-pid PID --db-port PORT [--hosts 1000]"
                    + " [--token T] [--interval 10] [--warmup 60] [--measure 300] [--raw-seconds 30]");
            System.exit(2);
            return;
        }
        long databasePid = databasePid(options.serverPid());
        FarmStats farm = farmStats(options);
        System.out.printf("IngestBench: %d hosts every %d s; warm-up %d s, measured %d s, raw inserts 2 × %d s;"
                        + " server pid %d, its MariaDB pid %d on :%d, farm pid %d%n", options.hosts(),
                options.intervalSeconds(), options.warmupSeconds(), options.measureSeconds(), options.rawSeconds(),
                options.serverPid(), databasePid, options.dbPort(), farm.pid());
        reportMissingMetrics(options);

        Idle idle = idle(options, databasePid);
        List<Long> hostIds = register(options);
        progress(options, "warm-up", options.warmupSeconds(), 10);
        Reading start = read(options, databasePid);
        progress(options, "measured", options.measureSeconds(), 30);
        Reading end = read(options, databasePid);
        System.out.printf("Waiting %d s for the window's last samples to be stored ...%n", STORE_GRACE.toSeconds());
        TimeUnit.MILLISECONDS.sleep(STORE_GRACE.toMillis());
        Accounting accounting = account(options, hostIds, start.at(), end.at());
        Window window = new Window(options, idle, start, end, accounting, databasePid);

        RawResults raw = rawInserts(options, hostIds, databasePid);
        List<String> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        judge(window, problems, unknown);
        printTable(window, raw, verdict(problems, unknown));
        System.exit(problems.isEmpty() && unknown.isEmpty() ? 0 : 1);
    }

    // ---- the server and the farm over HTTP

    private static void reportMissingMetrics(Options options) throws Exception {
        HttpResponse<String> response = getServer(options, "/metrics");
        if (response.statusCode() != 200) {
            System.out.printf("NOTE: the server answers GET /metrics with %d: the poller's and writer's numbers"
                    + " (outcomes, latencies, drops, hosts up) cannot be measured and show as n/a%n",
                    response.statusCode());
            return;
        }
        Scrape scrape = Scrape.parse(response.body());
        List<String> missing = EXPECTED_METRICS.stream().filter(name -> !scrape.has(name)).toList();
        if (!missing.isEmpty()) {
            System.out.println("NOTE: /metrics lacks " + String.join(", ", missing) + ": those show as n/a");
        }
    }

    private static Scrape scrape(Options options) throws Exception {
        HttpResponse<String> response = getServer(options, "/metrics");
        return response.statusCode() == 200 ? Scrape.parse(response.body()) : Scrape.NONE;
    }

    private static FarmStats farmStats(Options options) throws Exception {
        Map<String, Long> stats = new HashMap<>();
        for (String line : getOk(options.farm().resolve("/farm/stats")).split("\n")) {
            String[] keyValue = line.split(" ");
            stats.put(keyValue[0], Long.parseLong(keyValue[1]));
        }
        return new FarmStats(stats.get("pid"), stats.get("answered"), stats.get("streams_open"),
                stats.get("stream_events"));
    }

    private static Idle idle(Options options, long databasePid) throws Exception {
        int seconds = 10;
        System.out.printf("Server idle, no host registered: %d s ...%n", seconds);
        long serverTicks = cpuTicks(options.serverPid());
        long databaseTicks = cpuTicks(databasePid);
        TimeUnit.SECONDS.sleep(seconds);
        return new Idle((cpuTicks(options.serverPid()) - serverTicks) / (double) CLOCK_TICKS / seconds,
                (cpuTicks(databasePid) - databaseTicks) / (double) CLOCK_TICKS / seconds);
    }

    /**
     * Registers the farm's agents as farm-1 … farm-N at no more than N per poll interval, so that their poll
     * phases spread over the interval the way a fleet registered over time does.
     */
    private static List<Long> register(Options options) throws Exception {
        System.out.printf("Registering %d hosts ...%n", options.hosts());
        List<Long> ids = new ArrayList<>(options.hosts());
        long started = System.nanoTime();
        long spacingNanos = TimeUnit.SECONDS.toNanos(options.intervalSeconds()) / options.hosts();
        for (int i = 1; i <= options.hosts(); i++) {
            long due = started + (i - 1) * spacingNanos;
            TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
            ids.add(registerAgent(options, i));
            if (i % Math.max(1, options.hosts() / 10) == 0) {
                System.out.printf("  %d/%d registered, %.1f s%n", i, options.hosts(),
                        (System.nanoTime() - started) / 1e9);
            }
        }
        return ids;
    }

    /** Registers agent i of the farm as host farm-i; returns the host's id. */
    private static long registerAgent(Options options, int i) throws Exception {
        String body = String.format("{\"name\":\"farm-%d\",\"url\":\"%s\",\"token\":\"%s\",\"interval_seconds\":%d}",
                i, options.farm().resolve("/agents/" + i), options.token(), options.intervalSeconds());
        HttpResponse<String> response = HTTP.send(toServer(options, "/api/v1/hosts")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("registering farm-" + i + " failed: " + response.statusCode() + " "
                    + response.body());
        }
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("the server created farm-" + i + " without a Location header"));
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    private static void unregister(Options options, List<Long> hostIds) throws Exception {
        System.out.printf("Unregistering the %d hosts, so that nothing but the raw inserts reach MariaDB ...%n",
                hostIds.size());
        for (long id : hostIds) {
            HttpResponse<Void> response = HTTP.send(toServer(options, "/api/v1/hosts/" + id).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("unregistering host " + id + " failed: " + response.statusCode());
            }
        }
        TimeUnit.MILLISECONDS.sleep(STORE_GRACE.toMillis()); // polls under way and the writer's last batch
    }

    /** Sleeps for a phase, saying every {@code every} seconds how fast the farm answers and what is buffered. */
    private static void progress(Options options, String phase, int seconds, int every) throws Exception {
        System.out.printf("%s: %d s ...%n", phase, seconds);
        long started = System.nanoTime();
        long answeredBefore = farmStats(options).answered();
        for (int elapsed = every; elapsed <= seconds; elapsed += every) {
            TimeUnit.NANOSECONDS.sleep(started + TimeUnit.SECONDS.toNanos(elapsed) - System.nanoTime());
            long answered = farmStats(options).answered();
            Scrape metrics = scrape(options);
            System.out.printf(Locale.ROOT, "  %s %d/%d s: agents answered %.1f polls/s (due: %.1f), hosts up %s,"
                            + " sample buffer %s%n", phase, elapsed, seconds,
                    (answered - answeredBefore) / (double) every, options.expectedPollsPerSecond(),
                    count(metrics.value("vigil_hosts", "status", "up")),
                    count(metrics.value("vigil_sample_buffer_depth")));
            answeredBefore = answered;
        }
        TimeUnit.NANOSECONDS.sleep(started + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime());
    }

    private static Reading read(Options options, long databasePid) throws Exception {
        FarmStats farm = farmStats(options);
        return new Reading(System.nanoTime(), Instant.now(), scrape(options), farm, cpuTicks(options.serverPid()),
                cpuTicks(databasePid), cpuTicks(farm.pid()), rssMiB(options.serverPid()), rssMiB(databasePid));
    }

    /** One answer per agent, as the farm serves it. */
    private static List<byte[]> farmAnswers(Options options) throws Exception {
        List<byte[]> answers = new ArrayList<>();
        for (int i = 1; i <= Math.min(options.hosts(), RAW_DETAILS); i++) {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(options.farm().resolve(
                            "/agents/" + i + "/api/v1/metrics")).header("Authorization", "Bearer " + options.token())
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the farm answered " + response.statusCode() + " for agent " + i);
            }
            answers.add(response.body());
        }
        return answers;
    }

    /** A request to the server's API with the bench's API token. */
    private static HttpRequest.Builder toServer(Options options, String path) {
        return HttpRequest.newBuilder(options.server().resolve(path)).header("Authorization", "Bearer "
                + options.apiToken());
    }

    private static HttpResponse<String> getServer(Options options, String path) throws IOException,
            InterruptedException {
        return HTTP.send(toServer(options, path).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String getOk(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = get(uri);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    // ---- MariaDB

    private static Connection connect(Options options) throws SQLException {
        // The URL the server builds for its embedded database: the driver's defaults, as the server has them.
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + options.dbPort() + "/vigil", "root", "");
    }

    /**
     * Compares the farm's count with the rows stored, over the whole seconds of the window. Both sides go by
     * collected_at, which the farm sets and the server stores unchanged; this JVM and the server's convert DATETIME
     * in the same (inherited) time zone.
     */
    private static Accounting account(Options options, List<Long> hostIds, Instant start, Instant end)
            throws Exception {
        long from = start.getEpochSecond() + 1;
        long to = end.getEpochSecond();
        long answered = Long.parseLong(getOk(options.farm().resolve("/farm/answered?from=" + from + "&to=" + to))
                .strip());
        try (Connection db = connect(options);
             PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM samples WHERE host_id BETWEEN ? AND ?"
                     + " AND collected_at >= ? AND collected_at < ?")) {
            count.setLong(1, hostIds.getFirst());
            count.setLong(2, hostIds.getLast());
            count.setTimestamp(3, Timestamp.from(Instant.ofEpochSecond(from)));
            count.setTimestamp(4, Timestamp.from(Instant.ofEpochSecond(to)));
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return new Accounting(from, to, answered, result.getLong(1));
            }
        }
    }

    /**
     * Raw inserts of rows like the server's into a scratch table beside samples, first while the server still
     * polls, then with its hosts unregistered (the ceiling).
     */
    private static RawResults rawInserts(Options options, List<Long> hostIds, long databasePid) throws Exception {
        List<byte[]> answers = farmAnswers(options);
        // The detail of the raw rows: the answers gzip-compressed as the server stores them.
        List<byte[]> details = answers.stream().map(IngestBench::gzip).toList();
        try (Connection db = connect(options)) {
            try {
                RawRun atLoad = insertRaw(db, options, details, "while the server polls", databasePid);
                unregister(options, hostIds);
                RawRun ceiling = insertRaw(db, options, details, "polling stopped (the ceiling)", databasePid);
                emptyScratchTable(db);
                RawRun serverPath = serverPath(options, answers, databasePid);
                return new RawResults(details.stream().mapToInt(d -> d.length).average().orElse(0), atLoad, ceiling,
                        serverPath);
            } finally {
                try (Statement drop = db.createStatement()) {
                    drop.execute("DROP TABLE IF EXISTS samples_raw");
                }
            }
        }
    }

    /** An empty samples_raw, so that each raw run starts from the same table. */
    private static void emptyScratchTable(Connection db) throws SQLException {
        try (Statement create = db.createStatement()) {
            create.execute("DROP TABLE IF EXISTS samples_raw");
            create.execute("CREATE TABLE samples_raw LIKE samples");
        }
    }

    /**
     * Rows like the server's: one per host and interval from yesterday's midnight on (so into the day partitions
     * retention keeps, as the server's rows go), plausible gauges, a farm snapshot as the detail.
     */
    static final class RawRows {
        private static final Instant EPOCH = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        private final Options options;
        private final List<byte[]> details;
        private final SplittableRandom random = new SplittableRandom(42);
        private long next;

        RawRows(Options options, List<byte[]> details) {
            this.options = options;
            this.details = details;
        }

        /** Rows of host 1 so far: a cheap check (by the primary key) that INSERT IGNORE skipped none. */
        long rowsOfFirstHost() {
            return (next + options.hosts() - 1) / options.hosts();
        }

        void addTo(PreparedStatement insert) throws SQLException {
            long row = next++;
            Instant collectedAt = EPOCH.plusSeconds(row / options.hosts() * options.intervalSeconds());
            insert.setLong(1, row % options.hosts() + 1);
            insert.setTimestamp(2, Timestamp.from(collectedAt));
            insert.setTimestamp(3, Timestamp.from(collectedAt.plusMillis(random.nextInt(5, 50))));
            for (int column = 4; column <= 10; column++) {
                insert.setFloat(column, (float) (random.nextDouble() * 100));
            }
            insert.setDouble(11, random.nextDouble() * 2_000_000);
            insert.setDouble(12, random.nextDouble() * 800_000);
            insert.setBytes(13, details.get((int) (row % details.size())));
            insert.setBoolean(14, false); // backfilled
        }
    }

    private static RawRun insertRaw(Connection db, Options options, List<byte[]> details, String label,
                                    long databasePid) throws Exception {
        int seconds = options.rawSeconds();
        emptyScratchTable(db);
        RawRows rows = new RawRows(options, details);
        System.out.printf("Raw inserts, %s: batches of %,d for %d s ...%n", label, RAW_BATCH, seconds);
        long self = ProcessHandle.current().pid();
        long clientTicks = cpuTicks(self);
        long databaseTicks = cpuTicks(databasePid);
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
        long nextReport = started + TimeUnit.SECONDS.toNanos(10);
        long inserted = 0;
        try (PreparedStatement insert = db.prepareStatement(RAW_INSERT)) {
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < RAW_BATCH; i++) {
                    rows.addTo(insert);
                    insert.addBatch();
                }
                insert.executeBatch();
                inserted += RAW_BATCH;
                if (System.nanoTime() >= nextReport) {
                    System.out.printf("  %,d rows, %.0f rows/s%n", inserted,
                            inserted / ((System.nanoTime() - started) / 1e9));
                    nextReport += TimeUnit.SECONDS.toNanos(10);
                }
            }
        }
        RawRun run = new RawRun(inserted, (System.nanoTime() - started) / 1e9,
                (cpuTicks(self) - clientTicks) / (double) CLOCK_TICKS,
                (cpuTicks(databasePid) - databaseTicks) / (double) CLOCK_TICKS);
        checkRawRows(db, rows);
        return run;
    }

    /**
     * The server's own ingest code without the HTTP poll, at full speed: each farm answer is parsed and checked by
     * AgentSnapshot.parse (as a collected_at of its own) and handed to a SampleWriter with the server's settings,
     * which computes the network rates, compresses the detail and writes batches into samples_raw. Two feeders,
     * one per core, keep at most 20,000 samples waiting, so that nothing is shed.
     */
    private static RawRun serverPath(Options options, List<byte[]> answers, long databasePid) throws Exception {
        int seconds = options.rawSeconds();
        System.out.printf("The server's ingest path without HTTP (parse, rates, gzip, batches of %,d), polling "
                + "stopped, for %d s ...%n", SampleWriter.Settings.DEFAULTS.batchSize(), seconds);
        DbClient client = DbClient.create(Config.just(ConfigSources.create(Map.of("source", "jdbc",
                "connection.url", "jdbc:mariadb://127.0.0.1:" + options.dbPort() + "/vigil",
                "connection.username", "root", "connection.password", ""))));
        SampleWriter writer = new SampleWriter(client, RAW_INSERT, SampleWriter.Settings.DEFAULTS);
        AtomicLong next = new AtomicLong();
        AtomicBoolean feeding = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long self = ProcessHandle.current().pid();
        long clientTicks = cpuTicks(self);
        long databaseTicks = cpuTicks(databasePid);
        long started = System.nanoTime();
        List<Thread> feeders = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            feeders.add(Thread.ofPlatform().name("feeder-" + f).start(() -> {
                try {
                    while (feeding.get()) {
                        if (writer.bufferDepth() > 20_000) {
                            Thread.sleep(1);
                            continue;
                        }
                        long row = next.getAndIncrement();
                        AgentSnapshot a = AgentSnapshot.parse(answers.get((int) (row % answers.size())));
                        Instant collectedAt = RawRows.EPOCH.plusSeconds(row / options.hosts() * options.intervalSeconds());
                        writer.accept(row % options.hosts() + 1, new AgentSnapshot(a.body(), a.hostname(), collectedAt,
                                a.cpuPercent(), a.memoryPercent(), a.swapPercent(), a.load1(), a.load5(), a.load15(),
                                a.fullestDiskPercent(), a.netRecvBytes(), a.netSentBytes()),
                                collectedAt.plusMillis(20));
                    }
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            }));
        }
        TimeUnit.SECONDS.sleep(seconds);
        feeding.set(false);
        for (Thread feeder : feeders) {
            feeder.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a feeder failed", failures.getFirst());
        }
        long fed = next.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (writer.written() < fed && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        RawRun run = new RawRun(writer.written(), (System.nanoTime() - started) / 1e9,
                (cpuTicks(self) - clientTicks) / (double) CLOCK_TICKS,
                (cpuTicks(databasePid) - databaseTicks) / (double) CLOCK_TICKS);
        writer.close();
        client.close();
        if (run.rows() != fed || writer.droppedRows() + writer.droppedDetails() > 0) {
            throw new IllegalStateException("the server's writer wrote " + run.rows() + " of " + fed + " samples ("
                    + writer.droppedRows() + " rows and " + writer.droppedDetails() + " details dropped)");
        }
        System.out.printf("  %,d rows, %.0f rows/s%n", run.rows(), run.rowsPerSecond());
        return run;
    }

    private static void checkRawRows(Connection db, RawRows rows) throws SQLException {
        try (Statement count = db.createStatement();
             ResultSet result = count.executeQuery("SELECT COUNT(*) FROM samples_raw WHERE host_id = 1")) {
            result.next();
            if (result.getLong(1) != rows.rowsOfFirstHost()) {
                throw new IllegalStateException("samples_raw holds " + result.getLong(1) + " rows of host 1, not "
                        + rows.rowsOfFirstHost() + ": the raw rates would be wrong");
            }
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- processes

    /** The embedded MariaDB: the mariadbd that the server's JVM started. */
    private static long databasePid(long serverPid) {
        return ProcessHandle.of(serverPid)
                .orElseThrow(() -> new IllegalStateException("no server process " + serverPid))
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mariadbd") || c.endsWith("/mysqld"))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the server (pid " + serverPid + ") runs no mariadbd:"
                        + " the benchmark needs the embedded MariaDB"))
                .pid();
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
    }

    private static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    // ---- results

    /** Fills in what stands against "sustained", and what could not be told for want of a metric. */
    private static void judge(Window w, List<String> problems, List<String> unknown) {
        double failed = w.delta("vigil_polls_total") - w.delta("vigil_polls_total", "outcome", "ok");
        double dropped = w.delta("vigil_samples_dropped_total");
        double skipped = w.delta("vigil_poll_overlaps_skipped_total");
        Accounting a = w.accounting();
        double due = w.options().hosts() * (double) (a.toEpochSecond() - a.fromEpochSecond())
                / w.options().intervalSeconds();
        if (Double.isNaN(failed)) {
            unknown.add("failed polls (no vigil_polls_total)");
        } else if (failed > 0) {
            problems.add(String.format(Locale.ROOT, "%.0f polls failed", failed));
        }
        if (skipped > 0) {
            problems.add(String.format(Locale.ROOT, "%.0f poll ticks skipped: the host's previous poll still ran",
                    skipped));
        }
        if (Double.isNaN(dropped)) {
            unknown.add("dropped samples (no vigil_samples_dropped_total)");
        } else if (dropped > 0) {
            problems.add(String.format(Locale.ROOT, "%.0f samples dropped", dropped));
        }
        if (a.missing() != 0) {
            problems.add(a.missing() + " answered snapshots not stored " + STORE_GRACE.toSeconds()
                    + " s after the window");
        }
        if (a.answered() < 0.99 * due) {
            problems.add(String.format(Locale.ROOT, "only %.1f%% of the polls due were made",
                    100 * a.answered() / due));
        }
    }

    private static String verdict(List<String> problems, List<String> unknown) {
        if (!problems.isEmpty()) {
            return "**no**: " + String.join("; ", problems);
        }
        if (!unknown.isEmpty()) {
            return "**not established**: nothing lost end to end, but /metrics does not tell "
                    + String.join(", ", unknown);
        }
        return "**yes**: every poll due made and answered, every answer stored, nothing dropped";
    }

    private static void printTable(Window w, RawResults raw, String verdict) {
        Options o = w.options();
        Accounting a = w.accounting();
        double seconds = w.seconds();
        double written = w.rate("vigil_samples_written_total");
        double storedPerSecond = a.stored() / (double) (a.toEpochSecond() - a.fromEpochSecond());
        double serverCpu = w.cpuSeconds(w.start().serverTicks(), w.end().serverTicks());
        double databaseCpu = w.cpuSeconds(w.start().databaseTicks(), w.end().databaseTicks());
        double farmCpu = w.cpuSeconds(w.start().farmTicks(), w.end().farmTicks());
        double serverCpuPer1000 = w.serverPathCpuSecondsAboveIdle() / seconds / storedPerSecond * 1e6;
        Histogram store = w.histogram("vigil_sample_store_latency_seconds");
        Histogram poll = w.histogram("vigil_poll_duration_seconds");
        Histogram batch = w.histogram("vigil_sample_batch_duration_seconds");

        Map<String, String> rows = new LinkedHashMap<>();
        Scrape last = w.end().metrics();
        rows.put("hosts registered / up / down / unknown at the end (vigil_hosts)", f("%,d", o.hosts()) + " / "
                + count(last.value("vigil_hosts", "status", "up")) + " / " + count(last.value("vigil_hosts", "status",
                "down")) + " / " + count(last.value("vigil_hosts", "status", "unknown")));
        rows.put("poll interval; measured window", o.intervalSeconds() + " s; " + f("%.1f s", seconds));
        rows.put("polls/s by outcome (vigil_polls_total); ticks skipped", outcomes(w) + " — due: "
                + f("%.1f", o.expectedPollsPerSecond()) + "; " + count(w.delta("vigil_poll_overlaps_skipped_total")));
        rows.put("agent answers in the window (farm)", f("%,d", a.answered()) + " (" + f("%.1f/s", a.answered()
                / (double) (a.toEpochSecond() - a.fromEpochSecond())) + ")");
        rows.put("of those stored in MariaDB " + STORE_GRACE.toSeconds() + " s later", f("%,d", a.stored())
                + " — missing: " + a.missing());
        rows.put("samples written/s (vigil_samples_written_total)", f("%.1f", written) + " rows/s; by the table: "
                + f("%.1f", storedPerSecond));
        rows.put("samples dropped (vigil_samples_dropped_total, detail / row)", count(w.delta(
                "vigil_samples_dropped_total", "what", "detail")) + " / " + count(w.delta("vigil_samples_dropped_total",
                "what", "row")));
        rows.put("rows per batch insert; batch duration p50 / p99", f("%.1f", w.delta("vigil_samples_written_total")
                / w.delta("vigil_sample_batch_duration_seconds_count")) + "; " + millis(batch, 0.50) + " / "
                + millis(batch, 0.99));
        rows.put("sample buffer depth at the end", count(last.value("vigil_sample_buffer_depth")));
        rows.put("poll-to-stored p50 / p99", millis(store, 0.50) + " / " + millis(store, 0.99));
        rows.put("poll duration p50 / p99", millis(poll, 0.50) + " / " + millis(poll, 0.99));
        Histogram decision = w.histogram("vigil_rule_decision_seconds");
        Histogram recorded = w.histogram("vigil_decision_record_seconds");
        rows.put("sample arrived → rules fired, intents handed to the gate p50 / p99", millis(decision, 0.50)
                + " / " + millis(decision, 0.99) + "; " + f("%.1f", w.rate("vigil_rule_samples_total"))
                + " samples/s through the rules");
        rows.put("intent handed to the gate → incident/action/audit rows written p50 / p99 (decisions)",
                millis(recorded, 0.50) + " / " + millis(recorded, 0.99) + " (" + count(
                        w.delta("vigil_decision_record_seconds_count")) + ")");
        rows.put("agents' event streams open at the end: server (vigil_agent_streams_open) / farm; hosts polling"
                + " alone (vigil_hosts_polling_alone)", count(last.value("vigil_agent_streams_open")) + " / "
                + f("%,d", w.end().farm().streamsOpen()) + "; " + count(last.value("vigil_hosts_polling_alone")));
        rows.put("stream events in the window: received by the server (vigil_agent_stream_events_total) / sent by"
                + " the farm", count(w.delta("vigil_agent_stream_events_total")) + " / " + f("%,d",
                w.end().farm().streamEvents() - w.start().farm().streamEvents()));
        rows.put("CPU: server JVM / its MariaDB / agent farm", f("%.1f s (%.1f%% of a core)", serverCpu,
                100 * serverCpu / seconds) + " / " + f("%.1f s (%.1f%%)", databaseCpu, 100 * databaseCpu / seconds)
                + " / " + f("%.1f s (%.1f%%)", farmCpu, 100 * farmCpu / seconds));
        rows.put("CPU idle before registering: server JVM / its MariaDB", f("%.1f%% / %.1f%% of a core",
                100 * w.idle().serverCores(), 100 * w.idle().databaseCores()));
        rows.put("RSS at the end of the window: server JVM / its MariaDB", f("%.0f MiB", w.end().serverRssMiB())
                + " / " + f("%.0f MiB", w.end().databaseRssMiB()));
        rows.put("raw rows: detail = gzip of a farm snapshot", f("%.0f bytes on average", raw.meanDetailBytes()));
        double atLoad = raw.atLoad().rowsPerSecond();
        double ceiling = raw.ceiling().rowsPerSecond();
        double rawCpuPer1000 = raw.ceiling().cpuMillisPer1000Rows();
        rows.put("raw JDBC inserts, batches of 1,000, while the server polls", f("%,.0f rows/s", atLoad));
        rows.put("raw JDBC inserts, batches of 1,000, polling stopped (ceiling)", f("%,.0f rows/s", ceiling) + " = "
                + f("%,.0f", ceiling * o.intervalSeconds()) + " hosts at " + o.intervalSeconds() + " s");
        RawRun path = raw.serverPath();
        rows.put("the server's ingest path without HTTP (parse, rates, gzip, batches), polling stopped",
                f("%,.0f rows/s = %.0f%% of the raw ceiling", path.rowsPerSecond(), 100 * path.rowsPerSecond()
                        / ceiling));
        rows.put("CPU per 1,000 rows: server's ingest path without HTTP (bench JVM + MariaDB) / raw",
                f("%.0f ms / %.0f ms = %.1f×", path.cpuMillisPer1000Rows(), rawCpuPer1000,
                        path.cpuMillisPer1000Rows() / rawCpuPer1000));
        rows.put("server rows/s ÷ raw rows/s: at its load / of the ceiling",
                f("%.2f%% / %.2f%%", 100 * storedPerSecond / atLoad, 100 * storedPerSecond / ceiling));
        rows.put("CPU per 1,000 rows: server (JVM + MariaDB, above idle) / raw (JDBC client + MariaDB)",
                f("%.0f ms / %.0f ms = %.1f×", serverCpuPer1000, rawCpuPer1000, serverCpuPer1000 / rawCpuPer1000));
        rows.put("sustained " + o.hosts() + " hosts at " + o.intervalSeconds() + " s", verdict);

        System.out.printf("%n| %d hosts, %d s interval, %.0f s measured | |%n|---|---|%n", o.hosts(),
                o.intervalSeconds(), seconds);
        rows.forEach((name, value) -> System.out.printf("| %s | %s |%n", name, value));
    }

    /** ok, and every other outcome that occurred in the window. */
    private static String outcomes(Window w) {
        if (!w.end().metrics().has("vigil_polls_total")) {
            return "n/a";
        }
        List<String> parts = new ArrayList<>(List.of("ok " + f("%.2f", w.rate("vigil_polls_total", "outcome", "ok"))));
        for (String outcome : w.end().metrics().labelValues("vigil_polls_total", "outcome")) {
            double perSecond = w.rate("vigil_polls_total", "outcome", outcome);
            if (!outcome.equals("ok") && perSecond > 0) {
                parts.add(outcome + " " + f("%.2f", perSecond));
            }
        }
        return String.join(", ", parts);
    }

    private static String millis(Histogram histogram, double quantile) {
        double seconds = histogram.quantile(quantile);
        if (Double.isNaN(seconds)) {
            return "n/a";
        }
        if (Double.isInfinite(seconds)) {
            return "> " + f("%.0f ms", histogram.lastFiniteBound() * 1000) + " (beyond the last bucket)";
        }
        if (seconds <= histogram.bounds()[0]) { // interpolating between 0 and the first bound would be made up
            return "≤ " + f("%.0f ms", histogram.bounds()[0] * 1000) + " (first bucket)";
        }
        return f("%.1f ms", seconds * 1000);
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "n/a" : f("%,.0f", value);
    }

    private static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }

    // ---- Prometheus text

    /** One scrape of a Prometheus text exposition: every sample line as name, labels and value. */
    record Scrape(List<Series> series) {
        static final Scrape NONE = new Scrape(List.of());

        record Series(String name, Map<String, String> labels, double value) {
        }

        static Scrape parse(String text) {
            List<Series> series = new ArrayList<>();
            for (String line : text.split("\n")) {
                String sample = line.strip();
                if (!sample.isEmpty() && !sample.startsWith("#")) {
                    series.add(parseLine(sample));
                }
            }
            return new Scrape(series);
        }

        private static Series parseLine(String line) {
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new HashMap<>();
            String name;
            String rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                rest = line.substring(parseLabels(line, brace + 1, labels)).strip();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            }
            return new Series(name, labels, number(rest.split("\\s+")[0])); // a timestamp may follow the value
        }

        /** Reads {@code a="x",b="y"}} from {@code start}; returns the index after the closing brace. */
        private static int parseLabels(String line, int start, Map<String, String> labels) {
            int i = start;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String key = line.substring(i, equals).strip();
                i = equals + 2; // past ="
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char escaped = line.charAt(i++);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i++;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            return i + 1;
        }

        private static double number(String text) {
            return switch (text) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        }

        boolean has(String metric) {
            return series.stream().anyMatch(s -> s.name().equals(metric) || s.name().equals(metric + "_bucket"));
        }

        /** The sum of the series of this name that carry the given label pairs; NaN when there is none. */
        double value(String metric, String... labelPairs) {
            double sum = Double.NaN;
            for (Series s : series) {
                if (s.name().equals(metric) && carries(s, labelPairs)) {
                    sum = Double.isNaN(sum) ? s.value() : sum + s.value();
                }
            }
            return sum;
        }

        private static boolean carries(Series s, String... labelPairs) {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }

        List<String> labelValues(String metric, String label) {
            return series.stream().filter(s -> s.name().equals(metric) && s.labels().containsKey(label))
                    .map(s -> s.labels().get(label)).distinct().toList();
        }

        /** The histogram of this name, its buckets summed over any other labels; empty when there is none. */
        Histogram histogram(String metric) {
            TreeMap<Double, Double> buckets = new TreeMap<>();
            for (Series s : series) {
                if (s.name().equals(metric + "_bucket")) {
                    buckets.merge(number(s.labels().get("le")), s.value(), Double::sum);
                }
            }
            return new Histogram(buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                    buckets.values().stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Cumulative counts per upper bound ({@code le}), +Inf last, as Prometheus exposes them. */
    record Histogram(double[] bounds, double[] counts) {
        Histogram minus(Histogram earlier) {
            if (earlier.bounds().length == 0) {
                return this;
            }
            if (earlier.bounds().length != bounds.length) {
                throw new IllegalStateException("the histogram's buckets changed between two scrapes");
            }
            double[] difference = new double[counts.length];
            for (int i = 0; i < counts.length; i++) {
                difference[i] = counts[i] - earlier.counts()[i];
            }
            return new Histogram(bounds, difference);
        }

        /**
         * Estimated as Prometheus' histogram_quantile does: linear within the bucket the rank falls in; NaN without
         * observations, +Inf when the rank lies beyond the last finite bound.
         */
        double quantile(double q) {
            if (counts.length == 0 || counts[counts.length - 1] == 0) {
                return Double.NaN;
            }
            double rank = q * counts[counts.length - 1];
            for (int i = 0; i < bounds.length; i++) {
                if (counts[i] >= rank) {
                    if (Double.isInfinite(bounds[i])) {
                        return Double.POSITIVE_INFINITY;
                    }
                    double lower = i == 0 ? 0 : bounds[i - 1];
                    double below = i == 0 ? 0 : counts[i - 1];
                    return lower + (bounds[i] - lower) * (rank - below) / (counts[i] - below);
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        double lastFiniteBound() {
            double last = 0;
            for (double bound : bounds) {
                if (!Double.isInfinite(bound)) {
                    last = bound;
                }
            }
            return last;
        }
    }
}
