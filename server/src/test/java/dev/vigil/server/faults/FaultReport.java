package dev.vigil.server.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The fault-injection suite's results: one table row per scenario in {@code target/faults-report.md} (appended,
 * so every scenario class of a run adds to it; bench/faults.sh starts it afresh) and on stdout.
 */
public final class FaultReport {
    /** {@code -Dvigil.faults=long}: the documented form, each fault held longer. */
    public static final boolean LONG = "long".equals(System.getProperty("vigil.faults"));
    private static final Path FILE = Path.of("target", "faults-report.md");

    private FaultReport() {
    }

    /** A scenario passed: the fault was held {@code held}, and everything was back {@code recovered} after it. */
    public static void record(String scenario, Duration held, Duration recovered, String outcome) {
        record(scenario, held.toSeconds() >= 120 ? held.toMinutes() + " min" : held.toSeconds() + " s", recovered,
                outcome);
    }

    /** A scenario passed whose fault is an event ({@code held}: what it was), not a span of time. */
    public static synchronized void record(String scenario, String held, Duration recovered, String outcome) {
        String row = String.format(Locale.ROOT, "| %s | %s | %.1f s | %s |%n", scenario, held,
                recovered.toMillis() / 1000.0, outcome);
        System.out.print("FaultReport: " + row);
        try {
            Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + FILE.toAbsolutePath(), e);
        }
    }
}
