import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.vigil.rules.DecisionSession;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleSet;
import dev.vigil.rules.model.DiskHealth;
import dev.vigil.rules.model.Filesystem;
import dev.vigil.rules.model.Host;
import dev.vigil.rules.model.Probe;
import dev.vigil.rules.model.Process;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Sample;
import dev.vigil.rules.model.Service;
import dev.vigil.rules.model.Temperature;
import dev.vigil.rules.model.Warning;

/**
 * Evaluations per second of the default rules with live state: N hosts sending a sample every 10 s of session
 * time (a pseudo clock, so the run is as fast as the rules), 5% of them in trouble (CPU 91–99%, 1–9% memory
 * available, a disk at 88–99%, swap above 80%, a hot sensor, nginx and the disk's SMART health failing now and
 * then: their streaks, warnings and remediations come and go as the readings cross the limits), the rest calm.
 * When a troubled host's nginx or its probe changes state, the agent's event stream tells the server before the
 * next poll: that change goes in first as a partial sample (the previous poll's readings with the new state), and
 * counts as a sample. Samples go in rounds of the given size, each round followed by fireAllRules, as the
 * server's decide stage does.
 *
 *   java -cp rules/target/classes:<rules classpath> rules/bench/RulesBench.java [hosts] [seconds] [round]
 */
public class RulesBench {
    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int round = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        RuleSet rules = ((RuleSet.Compiled) RuleSet.compile(RuleFiles.read(Path.of("rules/drl")))).rules();
        long[] intents = new long[3];
        DecisionSession.Intents counting = new DecisionSession.Intents() {
            public void raised(Warning w) { intents[0]++; }
            public void changed(Warning before, Warning now) { intents[1]++; }
            public void cleared(Warning w) { intents[1]++; }
            public void proposed(Remediation r) { intents[2]++; }
        };
        long t = 1_763_800_000_000L;
        DecisionSession session = new DecisionSession(rules, t, counting);
        Host[] fleet = new Host[hosts + 1];
        for (int h = 1; h <= hosts; h++) {
            fleet[h] = new Host(h, "host-" + h, "group-" + h % 50, Map.of(), Set.of("nginx.service"), Set.of("java"),
                    false);
            session.host(fleet[h]);
        }
        session.fire();
        SplittableRandom random = new SplittableRandom(1);
        long step = 10_000L / hosts == 0 ? 1 : 10_000L / hosts;
        long samples = 0;
        long started = System.nanoTime();
        long warmupEnds = started + 10_000_000_000L;
        long measuredFrom = 0;
        // the feeding thread's CPU time too: on a shared machine the wall clock also counts other processes' turns
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuFrom = 0;
        long measuredSamples = 0;
        long deadline = warmupEnds + seconds * 1_000_000_000L;
        List<Long> roundNanos = new ArrayList<>();
        System.out.printf("RulesBench: %,d hosts, %d rules, rounds of %,d samples; 10 s warm-up, %d s measured%n",
                hosts, rules.ruleNames().size(), round, seconds);
        Sample[] last = new Sample[hosts + 1];
        @SuppressWarnings("unchecked")
        List<Service>[] lastServices = new List[hosts + 1];
        long partials = 0;
        long partialsFrom = 0;
        int h = 0;
        while (System.nanoTime() < deadline) {
            long roundStart = System.nanoTime();
            for (int i = 0; i < round; i++) {
                h = h % hosts + 1;
                t += step;
                boolean hot = h % 20 == 0;
                double cpu = hot ? 91 + random.nextDouble(8) : random.nextDouble(60);
                double available = hot ? 1 + random.nextDouble(8) : 30 + random.nextDouble(50);
                double disk = hot ? 88 + random.nextDouble(11) : 40 + random.nextDouble(20);
                int probeFailures = hot ? random.nextInt(5) : 0;
                List<Service> services = List.of(new Service(h, "nginx.service",
                        hot && random.nextInt(30) == 0 ? "failed" : "active", "running"));
                List<Probe> probes = List.of(new Probe("nginx", "nginx.service", probeFailures == 0, 1.5,
                        probeFailures == 0 ? null : "HTTP 503", probeFailures));
                Sample previous = last[h];
                if (previous != null && (!services.equals(lastServices[h])
                        || previous.probes().getFirst().ok() != probes.getFirst().ok())) {
                    // the agent's event stream told the server first: the previous poll's readings with the new
                    // unit state or probe result go through the rules as a partial sample, as watch/PartialSamples
                    // does, before the next poll
                    session.services(h, services);
                    session.sample(new Sample(fleet[h], t - 1, previous.cpuPercent(), previous.cpuCount(),
                            previous.memoryAvailablePercent(), previous.swapPercent(), previous.load1(),
                            previous.load5(), previous.load15(), previous.filesystems(), previous.temperatures(),
                            previous.processes(), probes, previous.disks()));
                    partials++;
                    i++;
                }
                lastServices[h] = services;
                session.services(h, services);
                last[h] = new Sample(fleet[h], t, cpu, 4, available, hot ? 80 + random.nextDouble(15) : 2,
                        random.nextDouble(hot ? 12 : 3), 1, 1,
                        List.of(new Filesystem("/", "/dev/vda1", "ext4", disk),
                                new Filesystem("/data", "/dev/vdb1", "xfs", 50)),
                        List.of(new Temperature("coretemp", "Package id 0", hot ? 70 + random.nextDouble(35) : 50,
                                80.0, 100.0)),
                        List.of(new Process(1000 + h, "java", "app", 20, hot ? 40 : 10, 1_763_700_000.0),
                                new Process(2000 + h, "nginx", "www", 2, 1, 1_763_700_000.0)),
                        probes,
                        List.of(hot && random.nextInt(10) == 0 ? new DiskHealth("/dev/vda", false, "FAILED")
                                : new DiskHealth("/dev/vda", true, "PASSED")));
                session.sample(last[h]);
            }
            session.fire();
            long now = System.nanoTime();
            samples += round;
            if (now >= warmupEnds) {
                if (measuredFrom == 0) {
                    measuredFrom = now;
                    cpuFrom = threads.getCurrentThreadCpuTime();
                    partialsFrom = partials;
                } else {
                    measuredSamples += round;
                    roundNanos.add(now - roundStart);
                }
            }
        }
        double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuFrom) / 1e9;
        roundNanos.sort(null);
        System.out.printf("samples evaluated: %,d in %.1f s = %,.0f samples/s (session time covered: %.1f h)%n",
                measuredSamples, elapsed, measuredSamples / elapsed, (t - 1_763_800_000_000L) / 3.6e6);
        System.out.printf("of which partial samples from event streams: %,d (%.1f %%)%n", partials - partialsFrom,
                100.0 * (partials - partialsFrom) / measuredSamples);
        System.out.printf("the rules thread's CPU time: %.1f s = %,.0f samples per CPU second%n", cpu,
                measuredSamples / cpu);
        System.out.printf("round of %,d: p50 %.1f ms, p99 %.1f ms; facts in the session: %,d%n", round,
                roundNanos.get(roundNanos.size() / 2) / 1e6, roundNanos.get((int) (roundNanos.size() * 0.99)) / 1e6,
                session.factCount());
        System.out.printf("intents over the whole run: %,d raised, %,d changed or cleared, %,d remediations%n",
                intents[0], intents[1], intents[2]);
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap used: %.0f MiB%n", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    }
}
