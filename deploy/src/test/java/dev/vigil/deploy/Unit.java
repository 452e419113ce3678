package dev.vigil.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A systemd unit of {@code deploy/systemd}, read the way systemd reads the parts the tests use: one directive per
 * line, {@code #} and {@code ;} start comments, a later value of a key wins.
 */
record Unit(String name, Path file, String text, List<Directive> directives) {
    /** The checkout: the deploy module runs its tests in {@code deploy/}. */
    static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    static final Path DIRECTORY = CHECKOUT.resolve("deploy/systemd");

    record Directive(String section, String key, String value) {
    }

    static List<Unit> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            List<Unit> units = files.filter(f -> f.getFileName().toString().endsWith(".service")).sorted()
                    .map(Unit::read).toList();
            if (units.isEmpty()) {
                throw new IllegalStateException("no unit in " + DIRECTORY);
            }
            return units;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Unit named(String name) {
        return all().stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no unit " + name + " in " + DIRECTORY));
    }

    static Unit read(Path file) {
        try {
            String text = Files.readString(file);
            String name = file.getFileName().toString().replaceFirst("\\.service$", "");
            return new Unit(name, file, text, directives(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Directive> directives(String text) {
        List<Directive> directives = new ArrayList<>();
        String section = "";
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not a directive: " + line);
            }
            directives.add(new Directive(section, line.substring(0, equals).strip(), line.substring(equals + 1).strip()));
        }
        return directives;
    }

    Optional<String> value(String key) {
        return directives.stream().filter(d -> d.key().equals(key)).reduce((first, second) -> second)
                .map(Directive::value);
    }

    String required(String key) {
        return value(key).orElseThrow(() -> new AssertionError(name + " has no " + key + "="));
    }

    /** {@code Environment=} assignments, in order; the tests' units use no quotes. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        directives.stream().filter(d -> d.key().equals("Environment")).forEach(d -> {
            if (d.value().contains("\"") || d.value().contains("'")) {
                throw new AssertionError(name + ": the tests read Environment= without quotes: " + d.value());
            }
            for (String assignment : d.value().split("\\s+")) {
                int equals = assignment.indexOf('=');
                environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        });
        return environment;
    }

    /** The directory systemd creates for {@code StateDirectory=}. */
    String stateDirectory() {
        return "/var/lib/" + required("StateDirectory");
    }

    /** The launcher {@code ExecStart=} names, in this checkout: {@code <module>/packaging/<its file name>}. */
    Path checkoutLauncher() {
        String launcher = Path.of(required("ExecStart")).getFileName().toString();
        try (Stream<Path> modules = Files.list(CHECKOUT)) {
            List<Path> found = modules.map(m -> m.resolve("packaging").resolve(launcher)).filter(Files::isExecutable)
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError(name + ": ExecStart's " + launcher + " should be one */packaging/" + launcher
                        + " of the checkout, found " + found);
            }
            return found.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This unit's text with {@code ExecStart=} pointing at the checkout's launcher (what verify needs to exist). */
    String withCheckoutLauncher() {
        return text.replace("\nExecStart=" + required("ExecStart") + "\n", "\nExecStart=" + checkoutLauncher() + "\n");
    }

    boolean notifies() {
        return value("Type").orElse("simple").equals("notify");
    }
}
