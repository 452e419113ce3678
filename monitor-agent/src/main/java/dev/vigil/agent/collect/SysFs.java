package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.vigil.agent.collect.Snapshot.Temperature;

/** Reads sysfs (from a configurable root) the way psutil does: CPU topology and temperature sensors. */
public final class SysFs {
    private final Path root;

    public SysFs(Path root) {
        this.root = root;
    }

    /**
     * psutil's {@code cpu_count(logical=False)}: the distinct {@code core_cpus_list} (or, on older kernels,
     * {@code thread_siblings_list}) values; 0 when sysfs does not tell.
     */
    public int physicalCoreCount() throws IOException {
        Path cpus = root.resolve("devices/system/cpu");
        if (!Files.isDirectory(cpus)) {
            return 0;
        }
        for (String file : List.of("core_cpus_list", "thread_siblings_list")) {
            Set<String> cores = new HashSet<>();
            for (Path cpu : children(cpus, "cpu[0-9]*")) {
                Path list = cpu.resolve("topology").resolve(file);
                if (Files.isReadable(list)) {
                    cores.add(Files.readString(list).trim());
                }
            }
            if (!cores.isEmpty()) {
                return cores.size();
            }
        }
        return 0;
    }

    /**
     * psutil's {@code sensors_temperatures()}: hwmon chips by name, each sensor's label, current, high and
     * critical in °C; the thermal zones when there is no hwmon sensor at all.
     */
    public Map<String, List<Temperature>> temperatures() throws IOException {
        Map<String, List<Temperature>> result = new LinkedHashMap<>();
        Set<Path> sensors = new TreeSet<>();
        for (Path chip : children(root.resolve("class/hwmon"), "hwmon*")) {
            for (Path dir : List.of(chip, chip.resolve("device"))) {
                for (Path file : children(dir, "temp*_*")) {
                    String name = file.getFileName().toString();
                    sensors.add(file.resolveSibling(name.substring(0, name.indexOf('_'))));
                }
            }
        }
        for (Path base : sensors) {
            Optional<Double> current = milliDegrees(sibling(base, "_input"));
            Optional<String> chipName = text(base.resolveSibling("name"));
            if (current.isEmpty() || chipName.isEmpty()) {
                continue;
            }
            result.computeIfAbsent(chipName.get(), k -> new ArrayList<>()).add(new Temperature(
                    text(sibling(base, "_label")).orElse(""), current.get(),
                    milliDegrees(sibling(base, "_max")).orElse(null),
                    milliDegrees(sibling(base, "_crit")).orElse(null)));
        }
        if (sensors.isEmpty()) {
            thermalZones(result);
        }
        return result;
    }

    private void thermalZones(Map<String, List<Temperature>> result) throws IOException {
        for (Path zone : children(root.resolve("class/thermal"), "thermal_zone*")) {
            Optional<Double> current = milliDegrees(zone.resolve("temp"));
            Optional<String> type = text(zone.resolve("type"));
            if (current.isEmpty() || type.isEmpty()) {
                continue;
            }
            Double high = null;
            Double critical = null;
            for (Path trip : children(zone, "trip_point_*_type")) {
                String kind = text(trip).orElse("");
                String name = trip.getFileName().toString();
                Path temp = trip.resolveSibling(name.substring(0, name.length() - "type".length()) + "temp");
                if (kind.equals("high")) {
                    high = milliDegrees(temp).orElse(high);
                } else if (kind.equals("critical")) {
                    critical = milliDegrees(temp).orElse(critical);
                }
            }
            result.computeIfAbsent(type.get(), k -> new ArrayList<>()).add(new Temperature("", current.get(), high, critical));
        }
    }

    private static Path sibling(Path base, String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }

    private static List<Path> children(Path dir, String glob) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            entries.forEach(result::add);
        }
        result.sort(null);
        return result;
    }

    /** A sensor file that cannot be read counts as absent, as in psutil: hardware sensors fail routinely. */
    private static Optional<String> text(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Double> milliDegrees(Path file) {
        try {
            return text(file).map(v -> Double.parseDouble(v) / 1000.0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
