package dev.vigil.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/** Commands of the machine the tests need: in CI (CI=true) they must be there, elsewhere a test without them skips. */
final class HostTools {
    private HostTools() {
    }

    static Path require(String command) {
        Optional<Path> found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, command)).filter(Files::isExecutable)
                .findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        String missing = command + " is not on the PATH";
        if ("true".equals(System.getenv("CI"))) {
            fail(missing + ": CI must install it (.ci/run)");
        }
        System.err.println("SKIPPED: " + missing);
        return Assumptions.abort(missing);
    }
}
