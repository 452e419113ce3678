package dev.vigil.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vigil.rules.model.DiskHealth;
import dev.vigil.rules.model.Filesystem;
import dev.vigil.rules.model.Host;
import dev.vigil.rules.model.Probe;
import dev.vigil.rules.model.Process;
import dev.vigil.rules.model.Remediation;
import dev.vigil.rules.model.Sample;
import dev.vigil.rules.model.Temperature;
import dev.vigil.rules.model.Warning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One host under the default rules on a pseudo clock, and everything they decided. Samples come every
 * {@link #INTERVAL} unless a test says otherwise.
 */
final class Scenario implements DecisionSession.Intents, AutoCloseable {
    /** The pseudo clock's start: far from any real date, so that nothing here can meet the wall clock. */
    static final long T0 = java.time.Instant.parse("2010-06-15T10:00:00Z").toEpochMilli();
    /** A process's psutil create_time, some time before {@link #T0}, in epoch seconds. */
    static double startedBefore(double seconds) {
        return T0 / 1000.0 - seconds;
    }
    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static RuleSet defaults;

    final List<Warning> raised = new ArrayList<>();
    final List<Warning> cleared = new ArrayList<>();
    final List<Warning[]> changed = new ArrayList<>();
    final List<Remediation> proposed = new ArrayList<>();
    DecisionSession session;
    final Host host;
    long now = T0;

    /** A healthy reading, which a test changes field by field. */
    record Reading(double cpu, double memoryAvailable, double swap, double load1, int cpus,
                   List<Filesystem> filesystems, List<Temperature> temperatures, List<Process> processes,
                   List<Probe> probes, List<DiskHealth> disks) {
        static Reading healthy() {
            return new Reading(20, 60, 5, 0.5, 4, List.of(new Filesystem("/", "/dev/vda1", "ext4", 40)), List.of(),
                    List.of(new Process(4242, "java", "app", 30, 35, startedBefore(99_999.5))), List.of(),
                    List.of());
        }

        Reading cpu(double percent) {
            return new Reading(percent, memoryAvailable, swap, load1, cpus, filesystems, temperatures, processes,
                    probes, disks);
        }

        Reading memoryAvailable(double percent) {
            return new Reading(cpu, percent, swap, load1, cpus, filesystems, temperatures, processes, probes, disks);
        }

        Reading swap(double percent) {
            return new Reading(cpu, memoryAvailable, percent, load1, cpus, filesystems, temperatures, processes,
                    probes, disks);
        }

        Reading load(double load) {
            return new Reading(cpu, memoryAvailable, swap, load, cpus, filesystems, temperatures, processes, probes,
                    disks);
        }

        Reading filesystems(Filesystem... all) {
            return new Reading(cpu, memoryAvailable, swap, load1, cpus, List.of(all), temperatures, processes, probes,
                    disks);
        }

        Reading temperatures(Temperature... all) {
            return new Reading(cpu, memoryAvailable, swap, load1, cpus, filesystems, List.of(all), processes, probes,
                    disks);
        }

        Reading processes(Process... all) {
            return new Reading(cpu, memoryAvailable, swap, load1, cpus, filesystems, temperatures, List.of(all),
                    probes, disks);
        }

        Reading probes(Probe... all) {
            return new Reading(cpu, memoryAvailable, swap, load1, cpus, filesystems, temperatures, processes,
                    List.of(all), disks);
        }

        Reading disks(DiskHealth... all) {
            return new Reading(cpu, memoryAvailable, swap, load1, cpus, filesystems, temperatures, processes, probes,
                    List.of(all));
        }
    }

    Scenario() {
        this(Map.of(), Set.of(), false);
    }

    Scenario(Map<String, String> labels, Set<String> killable, boolean autoReboot) {
        host = new Host(1, "web-1", "web", labels, Set.of("nginx.service"), killable, autoReboot);
        session = new DecisionSession(defaultRules(), T0, this);
        session.host(host);
        session.fire();
    }

    static synchronized RuleSet defaultRules() {
        if (defaults == null) {
            try {
                defaults = switch (RuleSet.compile(RuleFiles.read(Path.of("drl")))) {
                    case RuleSet.Compiled compiled -> compiled.rules();
                    case RuleSet.Failed failed -> throw new AssertionError("the default rules do not compile: "
                            + failed.problems());
                };
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return defaults;
    }

    /** The default rules as {@code edit} leaves their files (name → DRL text). */
    static RuleSet defaultRulesEdited(java.util.function.Consumer<Map<String, String>> edit) {
        Map<String, String> files = new java.util.TreeMap<>(defaultRules().files());
        edit.accept(files);
        return switch (RuleSet.compile(files)) {
            case RuleSet.Compiled compiled -> compiled.rules();
            case RuleSet.Failed failed -> throw new AssertionError("the changed rules do not compile: "
                    + failed.problems());
        };
    }

    /** The rules are reloaded as these: the session moves to them and fires once, as the server does. */
    Scenario reload(RuleSet next) {
        DecisionSession moved = session.withRules(next);
        session.close();
        session = moved;
        session.fire();
        return this;
    }

    /** One sample now, then the clock moves on by an interval. */
    Scenario sample(Reading reading) {
        session.sample(new Sample(host, now, reading.cpu(), reading.cpus(), reading.memoryAvailable(),
                reading.swap(), reading.load1(), reading.load1(), reading.load1(), reading.filesystems(),
                reading.temperatures(), reading.processes(), reading.probes(), reading.disks()));
        session.fire();
        now += INTERVAL.toMillis();
        return this;
    }

    /** Samples of this reading every interval for {@code duration} (the first one now). */
    Scenario hold(Reading reading, Duration duration) {
        long until = now + duration.toMillis();
        while (now < until) {
            sample(reading);
        }
        return this;
    }

    Warning only(List<Warning> warnings, String kind) {
        List<Warning> ofKind = warnings.stream().filter(w -> w.kind().equals(kind)).toList();
        if (ofKind.size() != 1) {
            fail("expected one " + kind + " warning, got " + warnings);
        }
        return ofKind.getFirst();
    }

    long count(List<Warning> warnings, String kind) {
        return warnings.stream().filter(w -> w.kind().equals(kind)).count();
    }

    void assertOpen(String kind, String severity) {
        Warning open = only(session.warnings(), kind);
        assertEquals(severity, open.severity(), open.toString());
    }

    void assertNone(String kind) {
        assertEquals(0, count(session.warnings(), kind), session.warnings().toString());
    }

    @Override
    public void raised(Warning warning) {
        raised.add(warning);
    }

    @Override
    public void changed(Warning before, Warning now) {
        changed.add(new Warning[] {before, now});
    }

    @Override
    public void cleared(Warning warning) {
        cleared.add(warning);
    }

    @Override
    public void proposed(Remediation remediation) {
        proposed.add(remediation);
    }

    @Override
    public void close() {
        session.close();
    }
}
