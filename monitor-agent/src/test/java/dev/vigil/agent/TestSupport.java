package dev.vigil.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers of the agent's tests. */
public final class TestSupport {
    private TestSupport() {
    }

    /** True in CI ({@code CI=true}), where every real part a test needs must be there. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns the path of a program a test runs for real. Missing on a developer machine: the test is skipped
     * with a visible message; missing in CI: the test fails, because CI installs it.
     */
    public static Path requireProgram(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = name + " is not installed (apt-get install -y " + debianPackage + ")";
        if (inCi()) {
            Assertions.fail(message + ": CI must install it");
        }
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
        return null;
    }

    /** Copies a captured procfs fixture (src/test/resources/procfs/NAME) into {@code target}. */
    public static Path copyFixture(String name, Path target) {
        try {
            Path source = Path.of(TestSupport.class.getResource("/procfs/" + name).toURI());
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path destination = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
