package dev.vigil.agent.collect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import dev.vigil.agent.collect.Snapshot.DiskHealth;

/** SMART overall health of every disk {@code smartctl --scan} lists, from {@code smartctl -H <device>}. */
public final class SmartHealth {
    private static final Logger LOG = Logger.getLogger(SmartHealth.class.getName());
    private static final String ATA_RESULT = "self-assessment test result:";
    private static final String SCSI_RESULT = "SMART Health Status:";
    private static final int MAX_OUTPUT = 1 << 20;

    private final String command;
    private final Duration timeout;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public SmartHealth(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    public List<DiskHealth> check() {
        Optional<String> scan = run(command, "--scan");
        if (scan.isEmpty()) {
            return List.of();
        }
        List<DiskHealth> result = new ArrayList<>();
        for (String line : scan.get().split("\n")) {
            String device = line.strip().split("\\s+")[0];
            if (device.isEmpty() || device.startsWith("#")) {
                continue;
            }
            Optional<String> status = run(command, "-H", device).flatMap(SmartHealth::overallStatus);
            if (status.isPresent()) {
                result.add(new DiskHealth(device, status.get().equals("PASSED") || status.get().equals("OK"),
                        status.get()));
            } else {
                logOnce(device, "SMART health of " + device + " is not reported: smartctl gave no overall status");
            }
        }
        return result;
    }

    static Optional<String> overallStatus(String output) {
        for (String line : output.split("\n")) {
            for (String marker : List.of(ATA_RESULT, SCSI_RESULT)) {
                int at = line.indexOf(marker);
                if (at >= 0) {
                    String word = line.substring(at + marker.length()).strip().split("\\s+")[0];
                    return Optional.of(word.replaceAll("[^A-Za-z_-]", ""));
                }
            }
        }
        return Optional.empty();
    }

    /** smartctl's exit code is a bit mask that is non-zero for healthy disks too, so only the output counts. */
    private Optional<String> run(String... args) {
        String commandLine = String.join(" ", args);
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            CompletableFuture<byte[]> output = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (InputStream in = process.getInputStream()) {
                    output.complete(in.readNBytes(MAX_OUTPUT));
                } catch (IOException e) {
                    output.completeExceptionally(e);
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                logOnce(commandLine, commandLine + " took longer than " + timeout + ": SMART health is not reported");
                return Optional.empty();
            }
            String text = new String(output.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            reported.remove(commandLine);
            return Optional.of(text);
        } catch (IOException | ExecutionException | TimeoutException e) {
            logOnce(commandLine, "SMART health is not reported: " + commandLine + " failed: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void logOnce(String key, String message) {
        if (reported.add(key)) {
            LOG.warning(message);
        }
    }
}
