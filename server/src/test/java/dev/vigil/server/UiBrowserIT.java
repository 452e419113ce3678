package dev.vigil.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Playwright suite of the admin UI ({@code frontend/e2e}) in a real Chromium, against the packaged server on
 * its embedded MariaDB with a real agent: setup, login, the live dashboard, a host chart, rule errors and a rule
 * that fires, an operator's approval and its audit trail, a viewer's view, an audited settings change.
 * Without Chromium it is skipped with a message — except in CI, where it must run.
 */
class UiBrowserIT {
    private static final Path FRONTEND = Path.of("..", "frontend").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("VIGIL_CHROMIUM", "/usr/bin/chromium"));

    @Test
    void theConsoleWorksEndToEndInARealBrowser(@TempDir Path data) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            String message = "SKIPPED: the browser tests need Chromium at " + CHROMIUM
                    + " (apt-get install chromium, or set VIGIL_CHROMIUM)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message.replace("SKIPPED: ", "") + " — required in CI");
            }
            System.out.println(message);
            Assumptions.abort(message);
        }
        Path node = FRONTEND.resolve("node/node");
        Path playwright = FRONTEND.resolve("node_modules/@playwright/test/cli.js");
        assertTrue(Files.isExecutable(node) && Files.exists(playwright),
                "the frontend module's build installs Node and Playwright: run ./mvnw verify from the top");
        Path log = data.resolve("server.log");
        try (LiveAgent agent = LiveAgent.start("unix:path=" + data.resolve("no-bus"), data.resolve("agent"),
                Map.of())) {
            // chosen once the agent listens: a port freed earlier could be the one the agent was given
            int port = ServerProcess.freePort();
            ServerProcess server = ServerProcess.start(Map.of("VIGIL_DATA_DIR", data.toString(),
                    "VIGIL_RULES_DIR", data.resolve("rules").toString(),
                    // no first admin from the environment: the browser does the first-run setup
                    "VIGIL_ADMIN_USER", "", "VIGIL_ADMIN_PASSWORD", ""), port, log).awaitReady();
            try {
                Path output = data.resolve("playwright.log");
                ProcessBuilder run = new ProcessBuilder(List.of(node.toString(), playwright.toString(), "test",
                        "-c", "e2e/playwright.config.ts"))
                        .directory(FRONTEND.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                Map<String, String> env = new HashMap<>(Map.of(
                        "VIGIL_URL", "http://127.0.0.1:" + port,
                        "VIGIL_AGENT_URL", agent.url().toString(),
                        "VIGIL_AGENT_TOKEN", LiveAgent.READ_TOKEN,
                        "VIGIL_AGENT_ACTION_TOKEN", LiveAgent.ACTION_TOKEN,
                        "VIGIL_CHROMIUM", CHROMIUM.toString()));
                run.environment().putAll(env);
                Process playwrightRun = run.start();
                boolean done = playwrightRun.waitFor(15, TimeUnit.MINUTES);
                if (!done) {
                    playwrightRun.destroyForcibly();
                }
                String report = Files.readString(output);
                System.out.println(report);
                assertTrue(done, "the browser suite ends within 15 minutes:\n" + report);
                assertEquals(0, playwrightRun.exitValue(), "the browser suite passes:\n" + report
                        + "\nserver log:\n" + tail(log));
            } finally {
                server.stop();
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
