package dev.vigil.agent.act;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.vigil.agent.Agent;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.vigil.agent.act.ActionHttp.config;
import static dev.vigil.agent.act.ActionHttp.kill;
import static dev.vigil.agent.act.ActionHttp.post;
import static dev.vigil.agent.act.ActionHttp.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill_process} end to end with real child processes: the request carries the PID, name and start time
 * as psutil computes them from /proc, the way the server takes them from {@code processes.top}.
 */
class KillProcessTest {
    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Agent agent(String... settings) {
        Map<String, String> extra = new HashMap<>(Map.of(
                "vigil.agent.allow.kill", "true",
                "vigil.agent.kill.grace", "500ms"));
        for (int i = 0; i < settings.length; i += 2) {
            extra.put(settings[i], settings[i + 1]);
        }
        return Agent.start(config(dir.resolve("state"), extra));
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(process);
        return process;
    }

    /** A bash that ignores TERM; it says so once the trap is set, so the test never signals it too early. */
    private Process termIgnoringBash() throws IOException {
        Process bash = start("bash", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done");
        String line = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertEquals("ready", line);
        return bash;
    }

    /** psutil's create_time: boot time plus the start ticks (field 22 of /proc/PID/stat) over CLK_TCK. */
    static double createTime(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long bootTime = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("btime "))
                .mapToLong(l -> Long.parseLong(l.substring(6).strip())).findFirst().orElseThrow();
        return bootTime + Long.parseLong(fields[19]) / 100.0;
    }

    private static String killRequest(Process process, String name) throws IOException {
        return kill(UUID.randomUUID(), name, process.pid(), createTime(process.pid()), "TERM");
    }

    @Test
    void aProcessThatExitsOnTermIsKilledWithTerm() throws Exception {
        Process sleep = start("sleep", "60");
        try (Agent agent = agent()) {
            JsonObject result = result(post(agent, killRequest(sleep, "sleep")), 200, "succeeded");
            assertTrue(result.getString("detail").matches("sleep \\(pid " + sleep.pid() + "\\) exited \\d+(\\.\\d)? s after TERM"),
                    result.getString("detail"));
            assertTrue(sleep.waitFor(5, TimeUnit.SECONDS));
            assertEquals(128 + 15, sleep.exitValue(), "it died of TERM");
        }
    }

    @Test
    void aProcessThatIgnoresTermIsKilledWithKillAfterTheGracePeriod() throws Exception {
        Process bash = termIgnoringBash();
        try (Agent agent = agent()) {
            JsonObject result = result(post(agent, killRequest(bash, "bash")), 200, "succeeded");
            assertEquals("bash (pid " + bash.pid() + ") did not exit within 0.5 s of TERM; killed with KILL",
                    result.getString("detail"));
            assertTrue(bash.waitFor(5, TimeUnit.SECONDS));
            assertEquals(128 + 9, bash.exitValue(), "it died of KILL");
        }
    }

    @Test
    void aStartTimeThatDoesNotMatchIsRefusedAsPidReuse() throws Exception {
        Process sleep = start("sleep", "60");
        try (Agent agent = agent()) {
            String request = kill(UUID.randomUUID(), "sleep", sleep.pid(), createTime(sleep.pid()) - 5, "TERM");
            JsonObject result = result(post(agent, request), 403, "refused");
            assertTrue(result.getString("detail").contains("PID was reused"), result.getString("detail"));
            assertTrue(sleep.isAlive());

            String withinTolerance = kill(UUID.randomUUID(), "sleep", sleep.pid(), createTime(sleep.pid()) + 0.5, "TERM");
            result(post(agent, withinTolerance), 200, "succeeded");
        }
    }

    @Test
    void aNameThatDoesNotMatchIsRefused() throws Exception {
        Process sleep = start("sleep", "60");
        try (Agent agent = agent()) {
            JsonObject result = result(post(agent, killRequest(sleep, "python3")), 403, "refused");
            assertEquals("PID " + sleep.pid() + " is sleep, not python3: the process has exited and its PID was reused",
                    result.getString("detail"));
            assertTrue(sleep.isAlive());
        }
    }

    @Test
    void initTheAgentItselfAndItsParentAreNeverKilled() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        long parent = self.parent().orElseThrow().pid();
        try (Agent agent = agent()) {
            assertEquals("PID 1 (init) is never killed",
                    result(post(agent, kill(UUID.randomUUID(), "init", 1, 0, "TERM")), 403, "refused")
                            .getString("detail"));
            assertEquals("PID " + self.pid() + " is this agent",
                    result(post(agent, kill(UUID.randomUUID(), "java", self.pid(), createTime(self.pid()), "KILL")),
                            403, "refused").getString("detail"));
            assertEquals("PID " + parent + " is this agent's parent",
                    result(post(agent, kill(UUID.randomUUID(), "java", parent, createTime(parent), "KILL")),
                            403, "refused").getString("detail"));
        }
        assertTrue(ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void kernelThreadsAreNeverKilled() throws Exception {
        List<Long> kernelThreads = new ArrayList<>();
        Path kthreadd = Path.of("/proc/2/stat");
        if (Files.exists(kthreadd) && Files.readString(kthreadd).contains("(kthreadd)")) {
            kernelThreads.add(2L);
            try (var pids = Files.list(Path.of("/proc"))) {
                pids.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::valueOf)
                        .filter(pid -> pid > 2 && parentIsKthreadd(pid)).findFirst().ifPresent(kernelThreads::add);
            }
        }
        if (kernelThreads.isEmpty()) {
            System.err.println("SKIPPED: no kernel threads are visible in this PID namespace (no kthreadd as PID 2)");
            Assumptions.abort("no kernel threads visible");
        }
        try (Agent agent = agent()) {
            for (long pid : kernelThreads) {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                JsonObject result = result(post(agent, kill(UUID.randomUUID(), name, pid, createTime(pid), "KILL")),
                        403, "refused");
                assertEquals("PID " + pid + " is a kernel thread (" + name + ")", result.getString("detail"));
            }
        }
    }

    private static boolean parentIsKthreadd(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1].equals("2");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aProcessThatIsGoneIsRefused() throws Exception {
        Process sleep = start("sleep", "60");
        double createTime = createTime(sleep.pid());
        sleep.destroyForcibly().waitFor();
        try (Agent agent = agent()) {
            JsonObject result = result(post(agent, kill(UUID.randomUUID(), "sleep", sleep.pid(), createTime, "TERM")),
                    403, "refused");
            assertEquals("no process with PID " + sleep.pid() + " (it has exited)", result.getString("detail"));
        }
    }

    @Test
    void killingNeedsAllowKillAndANameOnTheKillableList() throws Exception {
        Process sleep = start("sleep", "60");
        try (Agent agent = agent("vigil.agent.allow.kill", "false")) {
            JsonObject result = result(post(agent, killRequest(sleep, "sleep")), 403, "refused");
            assertEquals("killing processes is not allowed on this agent: VIGIL_AGENT_ALLOW_KILL is false",
                    result.getString("detail"));
        }
        try (Agent agent = agent("vigil.agent.state.dir", dir.resolve("other").toString(),
                "vigil.agent.killable.processes", "python3,java")) {
            JsonObject result = result(post(agent, killRequest(sleep, "sleep")), 403, "refused");
            assertEquals("sleep is not in VIGIL_AGENT_KILLABLE_PROCESSES (python3, java)", result.getString("detail"));
        }
        assertTrue(sleep.isAlive());
    }

    @Test
    void dryRunChecksEverythingAndKillsNothing() throws Exception {
        Process sleep = start("sleep", "60");
        try (Agent agent = agent("vigil.agent.dry.run", "true")) {
            JsonObject result = result(post(agent, killRequest(sleep, "sleep")), 200, "dry_run");
            assertEquals("would send TERM to sleep (pid " + sleep.pid() + ")", result.getString("detail"));
            result(post(agent, killRequest(sleep, "python3")), 403, "refused");
            Thread.sleep(200);
            assertTrue(sleep.isAlive());
        }
    }

    @Test
    void theSameKillTwiceSignalsOnce() throws Exception {
        Process first = start("sleep", "60");
        try (Agent agent = agent()) {
            String request = killRequest(first, "sleep");
            result(post(agent, request), 200, "succeeded");
            JsonObject again = result(post(agent, request), 200, "succeeded");
            assertTrue(again.getBoolean("replayed"));
            assertFalse(again.getString("detail").isBlank());
        }
    }
}
