package dev.vigil.agent.collect;

import java.nio.file.Path;
import java.util.List;

import dev.vigil.agent.collect.Snapshot.ServiceState;
import dev.vigil.agent.testing.DbusDaemon;
import dev.vigil.agent.testing.StandInSystemd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit states read over a real D-Bus: a private dbus-daemon, and a stand-in for systemd exported on it under
 * systemd's own name, object paths and interfaces.
 */
class SystemdUnitsTest {
    @TempDir
    Path dir;

    @Test
    void unitStatesAreReadOverTheBus() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "active", "running")
                     .setState("redis-server.service", "failed", "failed")
                     .setState("nope.service", "inactive", "dead", "not-found");
             SystemdUnits units = new SystemdUnits(bus.address(),
                     List.of("nginx.service", "redis-server.service", "nope.service"))) {

            assertEquals(List.of(
                    new ServiceState("nginx.service", "active", "running", "loaded"),
                    new ServiceState("redis-server.service", "failed", "failed", "loaded"),
                    new ServiceState("nope.service", "inactive", "dead", "not-found")), units.read());
            assertEquals(List.of("LoadUnit(nginx.service)", "LoadUnit(redis-server.service)",
                    "LoadUnit(nope.service)"), systemd.calls());
        }
    }

    @Test
    void aUnitSystemdRefusesIsReportedAsUnknownAndTheOthersStillRead() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             StandInSystemd systemd = StandInSystemd.export(bus.address())
                     .setState("nginx.service", "active", "running");
             SystemdUnits units = new SystemdUnits(bus.address(), List.of("bad/name", "nginx.service"))) {
            assertEquals(List.of(
                    new ServiceState("bad/name", "unknown", "unknown", "error"),
                    new ServiceState("nginx.service", "active", "running", "loaded")), units.read());
        }
    }

    @Test
    void aBusWithoutSystemdGivesNoServicesAndRecoversWhenSystemdAppears() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             SystemdUnits units = new SystemdUnits(bus.address(), List.of("nginx.service"))) {
            assertEquals(List.of(), units.read(), "no org.freedesktop.systemd1 on the bus");

            try (StandInSystemd systemd = StandInSystemd.export(bus.address())
                    .setState("nginx.service", "active", "running")) {
                assertEquals(List.of(new ServiceState("nginx.service", "active", "running", "loaded")), units.read());
            }
        }
    }

    @Test
    void aBusThatGoesAwayGivesNoServicesInsteadOfAnError() throws Exception {
        DbusDaemon bus = DbusDaemon.start(dir);
        try (StandInSystemd systemd = StandInSystemd.export(bus.address())
                .setState("nginx.service", "active", "running");
             SystemdUnits units = new SystemdUnits(bus.address(), List.of("nginx.service"))) {
            assertEquals(1, units.read().size());
            bus.close();
            assertEquals(List.of(), units.read());
        }
    }

    @Test
    void noSocketAtAllGivesNoServicesQuickly() {
        try (SystemdUnits units = new SystemdUnits("unix:path=" + dir.resolve("absent"), List.of("nginx.service"))) {
            long start = System.nanoTime();
            assertEquals(List.of(), units.read());
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "the agent must not hang on a missing bus");
        }
    }
}
