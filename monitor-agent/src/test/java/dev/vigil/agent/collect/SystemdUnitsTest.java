package dev.vigil.agent.collect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.agent.collect.Snapshot.ServiceState;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
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

    /** systemd's Manager: LoadUnit answers the unit's object path, as systemd escapes it. */
    static final class FakeManager implements SystemdUnits.Manager {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public DBusPath LoadUnit(String name) {
            calls.add("LoadUnit(" + name + ")");
            if (name.contains("/")) {
                throw new DBusExecutionException("Unit name " + name + " is not valid.");
            }
            return new DBusPath(unitPath(name));
        }

        @Override
        public String getObjectPath() {
            return SystemdUnits.MANAGER_PATH;
        }
    }

    /** One unit object: its org.freedesktop.systemd1.Unit properties. */
    static final class FakeUnit implements Properties {
        private final String path;
        final Map<String, String> properties = new ConcurrentHashMap<>();

        FakeUnit(String name, String active, String sub, String load) {
            this.path = unitPath(name);
            properties.putAll(Map.of("Id", name, "ActiveState", active, "SubState", sub, "LoadState", load));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String interfaceName, String propertyName) {
            if (!interfaceName.equals(SystemdUnits.UNIT_INTERFACE) || !properties.containsKey(propertyName)) {
                throw new DBusExecutionException("Unknown property " + interfaceName + "." + propertyName);
            }
            return (A) properties.get(propertyName);
        }

        @Override
        public <A> void Set(String interfaceName, String propertyName, A value) {
            throw new DBusExecutionException("read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String interfaceName) {
            Map<String, Variant<?>> all = new ConcurrentHashMap<>();
            properties.forEach((k, v) -> all.put(k, new Variant<>(v)));
            return all;
        }

        @Override
        public String getObjectPath() {
            return path;
        }
    }

    /** systemd's bus-path escaping: every byte outside [A-Za-z0-9] becomes _xx. */
    static String unitPath(String name) {
        StringBuilder path = new StringBuilder("/org/freedesktop/systemd1/unit/");
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                path.append(c);
            } else {
                path.append('_').append(String.format("%02x", (int) c));
            }
        }
        return path.toString();
    }

    static DBusConnection exportSystemd(String address, FakeManager manager, FakeUnit... units) throws DBusException {
        DBusConnection systemd = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        systemd.exportObject(manager.getObjectPath(), manager);
        for (FakeUnit unit : units) {
            systemd.exportObject(unit.getObjectPath(), unit);
        }
        systemd.requestBusName(SystemdUnits.BUS_NAME);
        return systemd;
    }

    @Test
    void unitStatesAreReadOverTheBus() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir)) {
            FakeManager manager = new FakeManager();
            try (DBusConnection systemd = exportSystemd(bus.address(), manager,
                    new FakeUnit("nginx.service", "active", "running", "loaded"),
                    new FakeUnit("redis-server.service", "failed", "failed", "loaded"),
                    new FakeUnit("nope.service", "inactive", "dead", "not-found"));
                 SystemdUnits units = new SystemdUnits(bus.address(),
                         List.of("nginx.service", "redis-server.service", "nope.service"))) {

                assertEquals(List.of(
                        new ServiceState("nginx.service", "active", "running", "loaded"),
                        new ServiceState("redis-server.service", "failed", "failed", "loaded"),
                        new ServiceState("nope.service", "inactive", "dead", "not-found")), units.read());
                assertEquals(List.of("LoadUnit(nginx.service)", "LoadUnit(redis-server.service)",
                        "LoadUnit(nope.service)"), manager.calls);
            }
        }
    }

    @Test
    void aUnitSystemdRefusesIsReportedAsUnknownAndTheOthersStillRead() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir)) {
            try (DBusConnection systemd = exportSystemd(bus.address(), new FakeManager(),
                    new FakeUnit("nginx.service", "active", "running", "loaded"));
                 SystemdUnits units = new SystemdUnits(bus.address(), List.of("bad/name", "nginx.service"))) {
                assertEquals(List.of(
                        new ServiceState("bad/name", "unknown", "unknown", "error"),
                        new ServiceState("nginx.service", "active", "running", "loaded")), units.read());
            }
        }
    }

    @Test
    void aBusWithoutSystemdGivesNoServicesAndRecoversWhenSystemdAppears() throws Exception {
        try (DbusDaemon bus = DbusDaemon.start(dir);
             SystemdUnits units = new SystemdUnits(bus.address(), List.of("nginx.service"))) {
            assertEquals(List.of(), units.read(), "no org.freedesktop.systemd1 on the bus");

            try (DBusConnection systemd = exportSystemd(bus.address(), new FakeManager(),
                    new FakeUnit("nginx.service", "active", "running", "loaded"))) {
                assertEquals(List.of(new ServiceState("nginx.service", "active", "running", "loaded")), units.read());
            }
        }
    }

    @Test
    void aBusThatGoesAwayGivesNoServicesInsteadOfAnError() throws Exception {
        DbusDaemon bus = DbusDaemon.start(dir);
        DBusConnection systemd = exportSystemd(bus.address(), new FakeManager(),
                new FakeUnit("nginx.service", "active", "running", "loaded"));
        try (SystemdUnits units = new SystemdUnits(bus.address(), List.of("nginx.service"))) {
            assertEquals(1, units.read().size());
            bus.close();
            assertEquals(List.of(), units.read());
        } finally {
            systemd.disconnect();
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
