import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The agent farm of the server benchmark: one process on 127.0.0.1 answering as N Vigil agents, agent i under
 * /agents/{i}/api/v1/metrics (i = 1…N) with the read token. Each agent is a different simulated host (2–8 CPUs,
 * 1–3 filesystems, 1–2 NICs besides lo, 10–20 top processes, a few services) whose snapshot — the contract of
 * DESIGN.md §3.2, about 3 KB — is rendered fresh at every request: collected_at advances, counters grow,
 * percentages wander, now and then a service fails and recovers.
 *
 * Each agent also serves its event stream, /agents/{i}/api/v1/events (issue 14's spec): text/event-stream, a
 * {@code : heartbeat} comment at once and every HEARTBEAT seconds, and now and then (on average every EVENT_MEAN
 * seconds per agent, at random) a {@code unit} event with one of its services' current state, so that the server
 * gets partial samples without the services failing more often than when it polls alone. The farm keeps no events
 * to replay: a Last-Event-ID gets a {@code reset} first. One scheduler thread writes every stream's heartbeats and
 * events; a stream holds no thread.
 *
 * Single-file program: java AgentFarm.java PORT AGENTS TOKEN [HEARTBEAT=15 [EVENT_MEAN=300]] (seconds; port 0: any
 * free one; the first line says which). For the benchmark it also answers, without a token:
 * GET /farm/stats — pid, requests served so far, event streams open and what they were sent, "key value" lines;
 * GET /farm/answered?from=&to= — snapshots answered whose collected_at lies in [from, to) (epoch seconds).
 */
public class AgentFarm {
    private static final Pattern AGENT_PATH = Pattern.compile("/agents/(\\d+)/api/v1/(metrics|events)");
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final SimulatedHost[] hosts;
    private final byte[] expectedAuthorization;
    private final LongAdder answered = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final Map<Long, LongAdder> answeredByCollectedSecond = new ConcurrentHashMap<>();
    private final long heartbeatNanos;
    private final long eventMeanNanos;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final LongAdder streamsOpened = new LongAdder();
    private final LongAdder eventsSent = new LongAdder();

    AgentFarm(int agents, String token, Duration heartbeat, Duration eventMean) {
        Instant started = Instant.now();
        hosts = new SimulatedHost[agents];
        for (int i = 0; i < agents; i++) {
            hosts[i] = new SimulatedHost(i + 1, started);
        }
        expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        heartbeatNanos = heartbeat.toNanos();
        eventMeanNanos = eventMean.toNanos();
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: java AgentFarm.java PORT AGENTS TOKEN [HEARTBEAT=15 [EVENT_MEAN=300]]"
                    + "   (seconds; PORT 0: any free port)");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int agents = Integer.parseInt(args[1]);
        Duration heartbeat = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 15);
        Duration eventMean = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 300);
        // The JDK server closes idle keep-alive connections beyond 200 by default; a real fleet keeps one per agent.
        System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(Math.max(200, agents)));
        AgentFarm farm = new AgentFarm(agents, args[2], heartbeat, eventMean);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.createContext("/agents/", farm::answerAgent);
        server.createContext("/farm/stats", farm::answerStats);
        server.createContext("/farm/answered", farm::answerAnswered);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("farm-streams").daemon().factory())
                .scheduleWithFixedDelay(farm::tickStreams, 1, 1, TimeUnit.SECONDS);
        int[] sizes = farm.snapshotSizes();
        System.out.printf("AgentFarm: %d agents on http://127.0.0.1:%d/agents/{1..%d}/api/v1/metrics, snapshots"
                        + " %d–%d bytes (mean %d), pid %d; event streams: heartbeat every %d s, a unit event every"
                        + " %d s per agent on average%n", agents, server.getAddress().getPort(), agents,
                sizes[0], sizes[sizes.length - 1], (int) Arrays.stream(sizes).average().orElse(0),
                ProcessHandle.current().pid(), heartbeat.toSeconds(), eventMean.toSeconds());
    }

    /** The size of every agent's snapshot, sorted: rendered once each, which also starts their counters moving. */
    private int[] snapshotSizes() {
        return Arrays.stream(hosts).mapToInt(host -> host.render(Instant.now()).length).sorted().toArray();
    }

    private void answerAgent(HttpExchange exchange) throws IOException {
        Matcher path = AGENT_PATH.matcher(exchange.getRequestURI().getPath());
        int index = path.matches() ? Integer.parseInt(path.group(1)) : 0;
        boolean events = index > 0 && path.group(2).equals("events");
        boolean streaming = false;
        try {
            if (index < 1 || index > hosts.length || !exchange.getRequestMethod().equals("GET")) {
                notFound.increment();
                send(exchange, 404, "{\"error\":\"not_found\",\"message\":\"no such agent or endpoint\"}");
                return;
            }
            if (!authorized(exchange)) {
                unauthorized.increment();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, 401, "{\"error\":\"unauthorized\",\"message\":\"missing or wrong token\"}");
                return;
            }
            if (events) {
                openStream(exchange, hosts[index - 1]);
                streaming = true;
                return;
            }
            Instant collectedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            send(exchange, 200, "application/json", hosts[index - 1].render(collectedAt));
            answered.increment();
            answeredByCollectedSecond.computeIfAbsent(collectedAt.getEpochSecond(), s -> new LongAdder()).increment();
        } finally {
            if (!streaming) {
                exchange.close();
            }
        }
    }

    /**
     * Sends the stream's headers and first heartbeat, then hands it to the scheduler thread, which writes the rest;
     * the exchange stays open after the handler returns.
     */
    private void openStream(HttpExchange exchange, SimulatedHost host) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(HEARTBEAT);
        if (exchange.getRequestHeaders().containsKey("Last-Event-ID")) {
            out.write("event: reset\ndata: {\"reason\":\"the farm keeps no events to replay\"}\n\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        long now = System.nanoTime();
        streams.add(new EventStream(exchange, host, now + heartbeatNanos, now + nextEventIn()));
        streamsOpened.increment();
    }

    /** Exponentially distributed: events of an agent come at random, eventMean apart on average. */
    private long nextEventIn() {
        return (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) * eventMeanNanos);
    }

    /** Once a second on the scheduler thread: the heartbeats and events due; a stream that fails is dropped. */
    private void tickStreams() {
        long now = System.nanoTime();
        for (EventStream stream : streams) {
            try {
                boolean due = false;
                OutputStream out = stream.exchange.getResponseBody();
                if (now >= stream.nextHeartbeat) {
                    out.write(HEARTBEAT);
                    stream.nextHeartbeat = now + heartbeatNanos;
                    due = true;
                }
                if (now >= stream.nextEvent) {
                    out.write(stream.host.unitEvent(Instant.now()));
                    stream.nextEvent = now + nextEventIn();
                    eventsSent.increment();
                    due = true;
                }
                if (due) {
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                streams.remove(stream);
                stream.exchange.close();
            }
        }
    }

    /** An open event stream; its times are the scheduler thread's alone. */
    private static final class EventStream {
        private final HttpExchange exchange;
        private final SimulatedHost host;
        long nextHeartbeat;
        long nextEvent;

        EventStream(HttpExchange exchange, SimulatedHost host, long nextHeartbeat, long nextEvent) {
            this.exchange = exchange;
            this.host = host;
            this.nextHeartbeat = nextHeartbeat;
            this.nextEvent = nextEvent;
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    private void answerStats(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, String.format("pid %d%nagents %d%nanswered %d%nunauthorized %d%nnot_found %d%n"
                            + "streams_open %d%nstreams_opened %d%nstream_events %d%n", ProcessHandle.current().pid(),
                    hosts.length, answered.sum(), unauthorized.sum(), notFound.sum(), streams.size(),
                    streamsOpened.sum(), eventsSent.sum()));
        }
    }

    private void answerAnswered(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (!query.containsKey("from") || !query.containsKey("to")) {
                send(exchange, 400, "from and to (epoch seconds) are required\n");
                return;
            }
            long from = Long.parseLong(query.get("from"));
            long to = Long.parseLong(query.get("to"));
            long count = answeredByCollectedSecond.entrySet().stream()
                    .filter(e -> e.getKey() >= from && e.getKey() < to)
                    .mapToLong(e -> e.getValue().sum()).sum();
            send(exchange, 200, count + "\n");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                result.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return result;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, body.startsWith("{") ? "application/json" : "text/plain",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    record Disk(String mountpoint, String device, String fstype, long total) {
    }

    record Nic(String name, double bytesPerSecond) {
    }

    record Process(int pid, String name, String username, double createTime, long rss) {
    }

    /**
     * One simulated host: a fixed profile drawn from its number, and gauges and counters that move on at every
     * render by the time since the previous one. Renders of one host are serialized; the server never polls a
     * host twice at once anyway.
     */
    static final class SimulatedHost {
        private static final String[] PROCESS_NAMES = {"java", "postgres", "nginx", "node", "python3",
                "redis-server", "dockerd", "containerd", "systemd-journald", "sshd", "chronyd", "rsyslogd",
                "vigil-agent", "prometheus", "kubelet", "envoy", "haproxy", "memcached", "php-fpm", "gunicorn",
                "cron", "systemd", "dbus-daemon", "polkitd", "sidekiq", "celery", "grafana-server", "etcd"};
        private static final String[] USERS = {"root", "app", "www-data", "postgres", "redis", "nobody"};
        private static final String[] SERVICES = {"nginx.service", "postgresql.service", "redis-server.service",
                "docker.service", "ssh.service", "cron.service", "chrony.service", "app.service"};
        private static final String[] MOUNTS = {"/", "/boot", "/var/lib/docker"};
        private static final String[] NIC_NAMES = {"eth0", "eth1"};
        private static final double GIB = 1024.0 * 1024 * 1024;

        private final String hostname;
        private final SplittableRandom random;
        /** Event ids: the farm's start in epoch ms, as an agent's start time, and this agent's sequence. */
        private final long instance;
        private long eventSequence;
        private final long bootTime;
        private final int physicalCores;
        private final long memoryTotal;
        private final long swapTotal;
        private final double typicalLoad;
        private final double typicalMemoryPercent;
        private final double typicalSwapPercent;
        private final int typicalProcessTotal;
        private final List<Disk> disks = new ArrayList<>();
        private final List<Nic> nics = new ArrayList<>();
        private final List<Process> processes = new ArrayList<>();
        private final List<String> services = new ArrayList<>();
        private final boolean physical; // bare metal: temperature sensors and SMART disk health

        private final double[] perCpuPercent;
        private final double[] loadAvg = new double[3];
        private final long[] diskUsed;
        private final long[][] diskIo; // per disk: read_bytes, write_bytes, read_count, write_count
        private final long[][] nicCounters; // per NIC, lo first: bytes_sent, bytes_recv, packets_sent, packets_recv
        private final double[] processCpu;
        private final boolean[] serviceFailed;
        private double memoryPercent;
        private double swapPercent;
        private int processTotal;
        private Instant previous;

        SimulatedHost(int number, Instant now) {
            hostname = "farm-" + number;
            instance = now.toEpochMilli();
            random = new SplittableRandom(number * 7919L);
            bootTime = now.getEpochSecond() - random.nextLong(3600, 90L * 86400);
            perCpuPercent = new double[2 + 2 * random.nextInt(4)];
            physicalCores = Math.max(1, perCpuPercent.length / (random.nextBoolean() ? 2 : 1));
            memoryTotal = (long) (GIB * (2 << random.nextInt(5)));
            swapTotal = random.nextInt(3) == 0 ? 0 : (long) (GIB * (1 + random.nextInt(8)));
            typicalLoad = 5 + random.nextDouble() * 60;
            typicalMemoryPercent = 20 + random.nextDouble() * 60;
            typicalSwapPercent = swapTotal == 0 ? 0 : random.nextDouble() * 20;
            typicalProcessTotal = 120 + random.nextInt(300);
            physical = random.nextInt(3) == 0;
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                disks.add(new Disk(MOUNTS[i], "/dev/vd" + (char) ('a' + i) + (i == 0 ? "1" : ""),
                        i == 1 ? "ext2" : random.nextBoolean() ? "ext4" : "xfs",
                        (long) (i == 1 ? GIB : GIB * (20 << random.nextInt(6)))));
            }
            nics.add(new Nic("lo", 2_000 + random.nextDouble() * 20_000));
            for (int i = 0; i < 1 + random.nextInt(2); i++) {
                nics.add(new Nic(NIC_NAMES[i], 5_000 + random.nextDouble() * 2_000_000));
            }
            int processCount = 10 + random.nextInt(11);
            for (int i = 0; i < processCount; i++) {
                processes.add(new Process(i == 0 ? 1 : 300 + random.nextInt(4_000_000),
                        i == 0 ? "systemd" : PROCESS_NAMES[random.nextInt(PROCESS_NAMES.length)],
                        USERS[random.nextInt(USERS.length)], bootTime + random.nextDouble() * 3600,
                        (long) (random.nextDouble() * 0.05 * memoryTotal)));
            }
            for (int i = 0; i < 2 + random.nextInt(4); i++) {
                services.add(SERVICES[(number + i) % SERVICES.length]);
            }
            Arrays.fill(perCpuPercent, typicalLoad);
            Arrays.fill(loadAvg, typicalLoad / 100 * perCpuPercent.length);
            diskUsed = disks.stream().mapToLong(d -> (long) (d.total() * (0.1 + random.nextDouble() * 0.7))).toArray();
            diskIo = new long[disks.size()][4];
            nicCounters = new long[nics.size()][4];
            processCpu = new double[processes.size()];
            serviceFailed = new boolean[services.size()];
            memoryPercent = typicalMemoryPercent;
            swapPercent = typicalSwapPercent;
            processTotal = typicalProcessTotal;
            previous = now;
        }

        synchronized byte[] render(Instant now) {
            advance(Math.max(0.001, Duration.between(previous, now).toMillis() / 1000.0));
            previous = now;
            return json(now).getBytes(StandardCharsets.UTF_8);
        }

        /** A unit event frame with one service's current state (not a change: the polls see the same). */
        synchronized byte[] unitEvent(Instant now) {
            int i = random.nextInt(services.size());
            String id = instance + "-" + ++eventSequence;
            JsonText data = new JsonText();
            data.open('{').name("id").string(id).name("at").string(now.truncatedTo(ChronoUnit.MILLIS).toString());
            writeService(data, i);
            data.close('}');
            return ("id: " + id + "\nevent: unit\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        private void advance(double seconds) {
            for (int i = 0; i < perCpuPercent.length; i++) {
                perCpuPercent[i] = wander(perCpuPercent[i], typicalLoad, 8, 0, 100);
            }
            double busyCpus = cpuPercent() / 100 * perCpuPercent.length;
            loadAvg[0] = wander(loadAvg[0], busyCpus, 0.3, 0, 64);
            loadAvg[1] += (loadAvg[0] - loadAvg[1]) * 0.3;
            loadAvg[2] += (loadAvg[0] - loadAvg[2]) * 0.1;
            memoryPercent = wander(memoryPercent, typicalMemoryPercent, 1.5, 5, 98);
            swapPercent = swapTotal == 0 ? 0 : wander(swapPercent, typicalSwapPercent, 0.5, 0, 100);
            processTotal = (int) wander(processTotal, typicalProcessTotal, 3, 60, 2000);
            for (int i = 0; i < disks.size(); i++) {
                long written = grow(diskIo[i], 1, 200_000 + i * 50_000, seconds);
                grow(diskIo[i], 0, 300_000, seconds);
                diskIo[i][2] = diskIo[i][0] / 16_384;
                diskIo[i][3] = diskIo[i][1] / 8_192;
                diskUsed[i] = Math.min(diskUsed[i] + written / 4, (long) (disks.get(i).total() * 0.95));
                if (diskUsed[i] > disks.get(i).total() * 0.92) {
                    diskUsed[i] = (long) (diskUsed[i] * 0.8); // log rotation frees space
                }
            }
            for (int i = 0; i < nics.size(); i++) {
                double rate = nics.get(i).bytesPerSecond();
                grow(nicCounters[i], 1, rate, seconds);
                grow(nicCounters[i], 0, rate * 0.4, seconds);
                nicCounters[i][2] = nicCounters[i][0] / 900;
                nicCounters[i][3] = nicCounters[i][1] / 1200;
            }
            for (int i = 0; i < processCpu.length; i++) {
                processCpu[i] = wander(processCpu[i], typicalLoad / (i + 2), 2, 0, 100.0 * perCpuPercent.length);
            }
            for (int i = 0; i < serviceFailed.length; i++) {
                if (random.nextDouble() < (serviceFailed[i] ? 0.3 : 0.002)) {
                    serviceFailed[i] = !serviceFailed[i];
                }
            }
        }

        /** Adds a bursty amount at about {@code perSecond} to a counter; returns what it added. */
        private long grow(long[] counters, int index, double perSecond, double seconds) {
            long added = (long) (perSecond * seconds * (0.3 + random.nextDouble() * 1.4));
            counters[index] += added;
            return added;
        }

        /** A step of a random walk pulled back towards {@code mean}, kept within [min, max]. */
        private double wander(double value, double mean, double step, double min, double max) {
            double next = value + (mean - value) * 0.2 + random.nextGaussian() * step;
            return Math.max(min, Math.min(max, next));
        }

        private double cpuPercent() {
            return Arrays.stream(perCpuPercent).average().orElse(0);
        }

        private String json(Instant now) {
            JsonText w = new JsonText();
            w.open('{');
            w.name("hostname").string(hostname).name("agent_version").string("1.0.0")
                    .name("collected_at").string(now.toString())
                    .name("boot_time").number(bootTime).name("uptime_seconds").number(now.getEpochSecond() - bootTime);
            w.name("cpu").open('{').name("percent").number(cpuPercent(), 1).name("per_cpu_percent").open('[');
            for (double percent : perCpuPercent) {
                w.number(percent, 1);
            }
            w.close(']').name("count_logical").number(perCpuPercent.length).name("count_physical").number(physicalCores)
                    .name("load_avg").open('[').number(loadAvg[0], 2).number(loadAvg[1], 2).number(loadAvg[2], 2)
                    .close(']').close('}');
            long available = (long) (memoryTotal * (1 - memoryPercent / 100));
            w.name("virtual_memory").open('{').name("total").number(memoryTotal).name("available").number(available)
                    .name("used").number((long) ((memoryTotal - available) * 0.9)).name("free").number(available / 3)
                    .name("percent").number(memoryPercent, 1).close('}');
            long swapUsed = (long) (swapTotal * swapPercent / 100);
            w.name("swap_memory").open('{').name("total").number(swapTotal).name("used").number(swapUsed)
                    .name("free").number(swapTotal - swapUsed).name("percent").number(swapPercent, 1).close('}');
            writeDisks(w);
            writeNics(w);
            writeSensors(w);
            writeProcesses(w);
            w.name("services").open('[');
            for (int i = 0; i < services.size(); i++) {
                w.open('{');
                writeService(w, i);
                w.close('}');
            }
            w.close(']').name("disk_health").open('[');
            if (physical) {
                w.open('{').name("device").string("/dev/sda").name("passed").bool(true).name("status").string("PASSED")
                        .close('}');
            }
            return w.close(']').close('}').toString();
        }

        /** The members of services[i]'s element. */
        private void writeService(JsonText w, int i) {
            w.name("unit").string(services.get(i))
                    .name("active_state").string(serviceFailed[i] ? "failed" : "active")
                    .name("sub_state").string(serviceFailed[i] ? "failed" : "running")
                    .name("load_state").string("loaded");
        }

        private void writeDisks(JsonText w) {
            w.name("disk_usage").open('[');
            for (int i = 0; i < disks.size(); i++) {
                Disk disk = disks.get(i);
                long free = (long) (disk.total() * 0.95) - diskUsed[i];
                w.open('{').name("mountpoint").string(disk.mountpoint()).name("device").string(disk.device())
                        .name("fstype").string(disk.fstype()).name("total").number(disk.total())
                        .name("used").number(diskUsed[i]).name("free").number(free)
                        .name("percent").number(100.0 * diskUsed[i] / (diskUsed[i] + free), 1).close('}');
            }
            w.close(']').name("disk_io_counters").open('{');
            for (int i = 0; i < disks.size(); i++) {
                w.name(disks.get(i).device().replaceAll("^/dev/|\\d+$", "")).open('{')
                        .name("read_bytes").number(diskIo[i][0]).name("write_bytes").number(diskIo[i][1])
                        .name("read_count").number(diskIo[i][2]).name("write_count").number(diskIo[i][3]).close('}');
            }
            w.close('}');
        }

        private void writeNics(JsonText w) {
            w.name("net_io_counters").open('{');
            for (int i = 0; i < nics.size(); i++) {
                long[] c = nicCounters[i];
                w.name(nics.get(i).name()).open('{').name("bytes_sent").number(c[0]).name("bytes_recv").number(c[1])
                        .name("packets_sent").number(c[2]).name("packets_recv").number(c[3])
                        .name("errin").number(0).name("errout").number(0)
                        .name("dropin").number(c[3] / 1_000_000).name("dropout").number(0).close('}');
            }
            w.close('}');
        }

        private void writeSensors(JsonText w) {
            w.name("sensors_temperatures").open('{');
            if (physical) {
                double package0 = 35 + cpuPercent() * 0.4;
                w.name("coretemp").open('[').open('{').name("label").string("Package id 0")
                        .name("current").number(package0, 1).name("high").number(80.0, 1)
                        .name("critical").number(100.0, 1).close('}');
                for (int core = 0; core < physicalCores; core++) {
                    w.open('{').name("label").string("Core " + core).name("current").number(package0 - core % 3, 1)
                            .name("high").number(80.0, 1).name("critical").number(100.0, 1).close('}');
                }
                w.close(']');
            }
            w.close('}');
        }

        private void writeProcesses(JsonText w) {
            Integer[] byCpu = new Integer[processes.size()];
            Arrays.setAll(byCpu, i -> i);
            Arrays.sort(byCpu, Comparator.comparingDouble((Integer i) -> processCpu[i]).reversed());
            w.name("processes").open('{').name("total").number(processTotal).name("top").open('[');
            for (int i : byCpu) {
                Process p = processes.get(i);
                w.open('{').name("pid").number(p.pid()).name("name").string(p.name())
                        .name("username").string(p.username())
                        .name("cpu_percent").number(processCpu[i], 1)
                        .name("memory_percent").number(100.0 * p.rss() / memoryTotal, 1).name("rss").number(p.rss())
                        .name("create_time").number(p.createTime(), 2).close('}');
            }
            w.close(']').close('}');
        }
    }

    /** Compact JSON into a StringBuilder; every name and string here is plain ASCII that needs no escaping. */
    static final class JsonText {
        private final StringBuilder out = new StringBuilder(4096);
        private boolean afterOpening = true;

        JsonText open(char bracket) {
            separate();
            out.append(bracket);
            afterOpening = true;
            return this;
        }

        JsonText close(char bracket) {
            out.append(bracket);
            afterOpening = false;
            return this;
        }

        JsonText name(String name) {
            separate();
            out.append('"').append(name).append("\":");
            afterOpening = true; // the value follows without a comma
            return this;
        }

        JsonText string(String value) {
            separate();
            out.append('"').append(value).append('"');
            return this;
        }

        JsonText number(long value) {
            separate();
            out.append(value);
            return this;
        }

        JsonText number(double value, int decimals) {
            separate();
            out.append(BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString());
            return this;
        }

        JsonText bool(boolean value) {
            separate();
            out.append(value);
            return this;
        }

        private void separate() {
            if (!afterOpening) {
                out.append(',');
            }
            afterOpening = false;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
