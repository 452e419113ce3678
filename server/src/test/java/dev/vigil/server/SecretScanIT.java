package dev.vigil.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs last (the failsafe configuration orders test classes by {@link Order}): every password, session id, CSRF
 * token and API token a test of this module saw ({@link TestApi#SECRETS_SEEN}) is looked for in every log the
 * suite wrote — the unit tests' and the integration tests' output, and the logs of the packaged servers they
 * started. None may appear.
 */
@Order(Integer.MAX_VALUE)
class SecretScanIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void noPasswordSessionOrTokenAppearsInAnyLogOfTheSuite() throws IOException {
        assertTrue(Files.exists(TestApi.SECRETS_SEEN), "the suite's tests note the secrets they see");
        Set<String> secrets = Files.readAllLines(TestApi.SECRETS_SEEN).stream().map(String::strip)
                .filter(secret -> secret.length() >= 12).collect(Collectors.toSet());
        assertTrue(secrets.size() > 20, "sessions, tokens and passwords of the suite: " + secrets.size());
        List<Path> logs;
        try (Stream<Path> files = Files.walk(TARGET)) {
            logs = files.filter(Files::isRegularFile).filter(SecretScanIT::isLog).toList();
        }
        assertTrue(logs.size() > 10, "the suite's logs: " + logs);
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    leaks.add(TARGET.relativize(log) + " holds a secret starting " + secret.substring(0, 4));
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static boolean isLog(Path file) {
        String name = file.getFileName().toString();
        String path = file.toString();
        return (path.contains("surefire-reports") || path.contains("failsafe-reports"))
                && (name.endsWith("-output.txt") || name.endsWith(".txt"))
                || name.endsWith(".log") && !path.contains("mariadb");
    }
}
