package dev.vigil.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The unit files of deploy/systemd: what systemd says of them, and what they promise alike (docs/deploy.md §4). */
class UnitFilesIT {
    /** The hardening every unit has, as the agent's set it first. */
    private static final List<String> HARDENING = List.of("NoNewPrivileges=yes", "ProtectSystem=strict",
            "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes", "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes", "ProtectKernelLogs=yes", "ProtectControlGroups=yes", "ProtectClock=yes",
            "ProtectHostname=yes", "RestrictSUIDSGID=yes", "RestrictRealtime=yes", "RestrictNamespaces=yes",
            "LockPersonality=yes", "SystemCallArchitectures=native", "UMask=0077", "Restart=on-failure",
            "RestartPreventExitStatus=2", "SuccessExitStatus=143");
    private static final Pattern HEAP = Pattern.compile("-Xmx(\\d+)([mMgG])");
    private static final Pattern MEMORY_MAX = Pattern.compile("(\\d+)([MG])");
    private static final Pattern CHECKOUT_PATH = Pattern.compile("(?<![\\w/.])[a-z-]+/[\\w./-]+");

    @TempDir
    Path temp;

    /** What {@code systemd-analyze verify} says of a unit; empty when it has nothing to say. */
    private String verify(String unitName, String text) throws IOException, InterruptedException {
        Path analyze = HostTools.require("systemd-analyze");
        // a directory of its own: verify reads the other units beside the one it checks as well
        Path directory = Files.createTempDirectory(temp, unitName);
        Path file = directory.resolve(unitName + ".service");
        Files.writeString(file, text);
        Path output = directory.resolve("verify.out");
        // --man=no: Documentation= names web pages; verify only needs ExecStart's program to exist. It runs without
        // systemd as PID 1, and does not need the units' users.
        Process process = new ProcessBuilder(analyze.toString(), "--man=no", "verify", file.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("systemd-analyze verify did not finish within 60 s");
            }
        } finally {
            process.destroyForcibly();
        }
        String said = Files.readString(output).strip();
        // verify exits 0 after an unknown key ("Unknown key ..., ignoring"): what it prints counts as a failure too
        return process.exitValue() == 0 ? said : ("exit " + process.exitValue() + ": " + said);
    }

    @TestFactory
    Stream<DynamicTest> systemdAnalyzeVerifyHasNothingToSayOfAnyUnit() {
        return Unit.all().stream().map(unit -> DynamicTest.dynamicTest(unit.name(),
                () -> assertEquals("", verify(unit.name(), unit.withCheckoutLauncher()), unit.file().toString())));
    }

    @Test
    void aMisspelledDirectiveFailsTheVerifyCheck() throws Exception {
        Unit agent = Unit.named("vigil-agent");
        String misspelled = agent.withCheckoutLauncher().replace("\nProtectHome=yes\n", "\nProtectHme=yes\n");
        assertNotEquals(agent.withCheckoutLauncher(), misspelled);
        assertTrue(verify(agent.name(), misspelled).contains("ProtectHme"));
        String badValue = agent.withCheckoutLauncher().replace("\nProtectSystem=strict\n", "\nProtectSystem=stict\n");
        assertTrue(verify(agent.name(), badValue).contains("stict"));
    }

    @TestFactory
    Stream<DynamicTest> everyUnitRunsItsServiceAsItsOwnUserFromOneLayoutAndHardened() {
        return Unit.all().stream().map(unit -> DynamicTest.dynamicTest(unit.name(), () -> {
            String name = unit.name();
            assertEquals(name, unit.required("User"));
            assertEquals(name, unit.required("Group"));
            assertEquals("/opt/" + name + "/" + name, unit.required("ExecStart"));
            assertEquals("/etc/" + name + ".env", unit.required("EnvironmentFile"));
            assertEquals(name, unit.required("StateDirectory"));
            assertEquals(unit.stateDirectory(), unit.required("WorkingDirectory"));
            assertTrue(unit.required("ReadWritePaths").contains(unit.stateDirectory()));
            List<String> missing = new ArrayList<>();
            for (String directive : HARDENING) {
                String[] keyValue = directive.split("=", 2);
                if (!unit.value(keyValue[0]).orElse("").equals(keyValue[1])) {
                    missing.add(directive);
                }
            }
            assertEquals(List.of(), missing, name);
            if (unit.notifies()) {
                assertEquals("all", unit.required("NotifyAccess"), "vigil-notify is not the main process");
                unit.required("WatchdogSec");
            } else {
                assertTrue(unit.value("WatchdogSec").isEmpty(), "a watchdog needs Type=notify");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> memoryMaxLeavesRoomAboveTheLaunchersHeap() {
        return Unit.all().stream().map(unit -> DynamicTest.dynamicTest(unit.name(), () -> {
            Matcher heap = HEAP.matcher(Files.readString(unit.checkoutLauncher()));
            assertTrue(heap.find(), unit.checkoutLauncher() + " sets no -Xmx");
            long heapMiB = Long.parseLong(heap.group(1)) * (heap.group(2).equalsIgnoreCase("g") ? 1024 : 1);
            Matcher max = MEMORY_MAX.matcher(unit.required("MemoryMax"));
            assertTrue(max.matches(), unit.required("MemoryMax"));
            long maxMiB = Long.parseLong(max.group(1)) * (max.group(2).equals("G") ? 1024 : 1);
            assertTrue(maxMiB >= heapMiB * 3 / 2, unit.name() + ": MemoryMax " + maxMiB + " MiB for a heap of "
                    + heapMiB + " MiB leaves the JVM too little beside it");
        }));
    }

    /** The install steps in each unit's header copy files that the build and the checkout have. */
    @TestFactory
    Stream<DynamicTest> theInstallStepsInEachHeaderNameFilesThatExist() {
        return Unit.all().stream().map(unit -> DynamicTest.dynamicTest(unit.name(), () -> {
            String header = unit.text().substring(0, unit.text().indexOf("\n[Unit]"));
            List<String> absent = new ArrayList<>();
            Matcher path = CHECKOUT_PATH.matcher(header.replaceAll("https?://\\S+", ""));
            while (path.find()) {
                if (!Files.exists(Unit.CHECKOUT.resolve(path.group()))) {
                    absent.add(path.group());
                }
            }
            assertEquals(List.of(), absent, unit.name() + "'s install steps");
            Path launcher = Unit.CHECKOUT.relativize(unit.checkoutLauncher());
            assertTrue(header.contains(launcher.toString()), unit.name() + " does not install " + launcher);
            assertTrue(header.contains("install -d /opt/" + unit.name()), unit.name());
            assertTrue(header.contains("deploy/systemd/" + unit.name() + ".service"), unit.name());
            if (unit.notifies()) {
                assertTrue(header.contains("deploy/systemd/vigil-notify"), unit.name() + " needs vigil-notify");
            }
        }));
    }
}
