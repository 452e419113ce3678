package dev.vigil.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's stages depend on each other one way: no two of its packages import each other. */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/vigil/server");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.vigil\\.server\\.([a-z]+)\\.");

    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.getParent().equals(SOURCES)).forEach(file -> {
                String from = SOURCES.relativize(file).getName(0).toString();
                Set<String> targets = imports.computeIfAbsent(from, p -> new TreeSet<>());
                try {
                    Matcher matcher = IMPORT.matcher(Files.readString(file));
                    while (matcher.find()) {
                        if (!matcher.group(1).equals(from)) {
                            targets.add(matcher.group(1));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return imports;
    }

    @Test
    void noTwoPackagesImportEachOther() throws IOException {
        Map<String, Set<String>> imports = imports();
        assertTrue(imports.keySet().containsAll(Set.of("poll", "store", "decide", "gate", "act", "events", "api")),
                "the stages' packages are read: " + imports.keySet());
        Set<String> bothWays = new TreeSet<>();
        imports.forEach((from, targets) -> targets.stream()
                .filter(to -> imports.getOrDefault(to, Set.of()).contains(from))
                .forEach(to -> bothWays.add(from.compareTo(to) < 0 ? from + " <-> " + to : to + " <-> " + from)));
        assertEquals(Set.of(), bothWays, "packages that import each other: " + imports);
    }
}
