package dev.vigil.agent.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.vigil.agent.collect.SystemdUnits;
import dev.vigil.agent.collect.SystemdUnits.Manager;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * A stand-in for systemd on a test bus ({@link DbusDaemon}): it owns {@code org.freedesktop.systemd1} and
 * exports the Manager ({@code LoadUnit}, {@code Subscribe}, {@code RestartUnit}, the {@code JobRemoved} signal)
 * and one object per unit with its {@code org.freedesktop.systemd1.Unit} properties, under systemd's own
 * object paths. A test sets each unit's state, scripts what a restart of it does, and reads the calls made.
 * Once a client has called {@code Subscribe}, a change of a unit's state is signalled as systemd does, with
 * {@code PropertiesChanged} on the unit's path (the new values, or with {@link #signalInvalidatedOnly} only
 * their names).
 *
 * <pre>{@code
 * try (DbusDaemon bus = DbusDaemon.start(dir);
 *      StandInSystemd systemd = StandInSystemd.export(bus.address())) {
 *     systemd.setState("nginx.service", "failed", "failed")
 *            .onRestart("nginx.service", StandInSystemd.Behaviour.comesUp(Duration.ofMillis(200)));
 *     // start an agent with DBUS_SYSTEM_BUS_ADDRESS = bus.address() …
 *     assertEquals(1, systemd.restartCount("nginx.service"));
 * }
 * }</pre>
 */
public final class StandInSystemd implements AutoCloseable {

    /**
     * What a restart does: the unit is {@code activating (start)} at once; after {@code after} it takes the
     * given state and the job ends with {@code jobResult} — or, with no job result, the job never ends and the
     * unit stays activating.
     */
    public record Behaviour(Duration after, Optional<String> jobResult, String activeState, String subState) {

        /** The unit comes up after {@code after}: {@code active (running)}, job result {@code done}. The default. */
        public static Behaviour comesUp(Duration after) {
            return new Behaviour(after, Optional.of("done"), "active", "running");
        }

        /** The start fails at once: job result {@code failed}, the unit {@code failed (failed)}. */
        public static Behaviour fails() {
            return new Behaviour(Duration.ZERO, Optional.of("failed"), "failed", "failed");
        }

        /** The job never ends and the unit stays {@code activating (start)}. */
        public static Behaviour neverFinishes() {
            return new Behaviour(Duration.ZERO, Optional.empty(), "activating", "start");
        }
    }

    private final DBusConnection connection;
    private final Map<String, Unit> units = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean subscribed;
    private volatile boolean invalidatedOnly;
    private final AtomicLong jobs = new AtomicLong();
    private final ScheduledExecutorService jobRunner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stand-in-systemd-jobs");
        thread.setDaemon(true);
        return thread;
    });

    private StandInSystemd(DBusConnection connection) {
        this.connection = connection;
    }

    /** Connects to the bus, exports the Manager and takes systemd's bus name. */
    public static StandInSystemd export(String busAddress) throws DBusException {
        StandInSystemd systemd = new StandInSystemd(
                DBusConnectionBuilder.forAddress(busAddress).withShared(false).build());
        systemd.connection.exportObject(SystemdUnits.MANAGER_PATH, systemd.new StandInManager());
        systemd.connection.requestBusName(SystemdUnits.BUS_NAME);
        return systemd;
    }

    /** Sets a unit's state, creating the unit ({@code LoadState} {@code loaded}) if it is new. */
    public StandInSystemd setState(String unit, String activeState, String subState) {
        return setState(unit, activeState, subState, "loaded");
    }

    public StandInSystemd setState(String unit, String activeState, String subState, String loadState) {
        Map<String, String> state = Map.of("ActiveState", activeState, "SubState", subState, "LoadState", loadState);
        boolean known = units.containsKey(unit);
        Unit object = units.computeIfAbsent(unit, this::exportUnit);
        boolean changed = false;
        synchronized (object) { // as systemd's one thread: a call sees the unit before or after, never in between
            for (Map.Entry<String, String> property : state.entrySet()) {
                changed |= !property.getValue().equals(object.properties.put(property.getKey(), property.getValue()));
            }
        }
        if (known && changed && subscribed) {
            propertiesChanged(object, state);
        }
        return this;
    }

    /** From now on, change signals name the changed properties without their values (systemd may do so). */
    public StandInSystemd signalInvalidatedOnly() {
        invalidatedOnly = true;
        return this;
    }

    private void propertiesChanged(Unit unit, Map<String, String> state) {
        Map<String, Variant<?>> values = new HashMap<>();
        state.forEach((name, value) -> values.put(name, new Variant<>(value)));
        try {
            connection.sendMessage(invalidatedOnly
                    ? new Properties.PropertiesChanged(unit.getObjectPath(), SystemdUnits.UNIT_INTERFACE, Map.of(),
                            List.copyOf(state.keySet()))
                    : new Properties.PropertiesChanged(unit.getObjectPath(), SystemdUnits.UNIT_INTERFACE, values,
                            List.of()));
        } catch (DBusException e) {
            throw new IllegalStateException("cannot send PropertiesChanged", e);
        }
    }

    /** Scripts what restarting {@code unit} does; unscripted units come up at once. */
    public StandInSystemd onRestart(String unit, Behaviour behaviour) {
        behaviours.put(unit, behaviour);
        return this;
    }

    /** Every Manager call so far, in order: {@code LoadUnit(nginx.service)}, {@code Subscribe()},
     *  {@code RestartUnit(nginx.service, replace)}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public int restartCount(String unit) {
        String prefix = "RestartUnit(" + unit + ",";
        return (int) calls.stream().filter(call -> call.startsWith(prefix)).count();
    }

    /** {@code ActiveState (SubState)} of a unit, as the agent's details write it. */
    public String state(String unit) {
        Map<String, String> properties = units.get(unit).properties;
        return properties.get("ActiveState") + " (" + properties.get("SubState") + ")";
    }

    /** systemd's bus-path escaping: every byte outside [A-Za-z0-9] becomes _xx. */
    public static String unitPath(String name) {
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

    private Unit exportUnit(String name) {
        Unit unit = new Unit(name);
        try {
            connection.exportObject(unit.getObjectPath(), unit);
        } catch (DBusException e) {
            throw new IllegalStateException("cannot export " + unit.getObjectPath(), e);
        }
        return unit;
    }

    private void jobRemoved(long id, String job, String unit, String result) {
        try {
            connection.sendMessage(new Manager.JobRemoved(SystemdUnits.MANAGER_PATH, new UInt32(id),
                    new DBusPath(job), unit, result));
        } catch (DBusException e) {
            throw new IllegalStateException("cannot send JobRemoved", e);
        }
    }

    /** Leaves the bus, as systemd going away would. */
    @Override
    public void close() {
        jobRunner.shutdownNow();
        connection.disconnect();
    }

    private final class StandInManager implements Manager {
        @Override
        public DBusPath LoadUnit(String name) {
            calls.add("LoadUnit(" + name + ")");
            if (name.contains("/")) {
                throw new DBusExecutionException("Unit name " + name + " is not valid.");
            }
            if (!units.containsKey(name)) {
                setState(name, "inactive", "dead", "not-found");
            }
            return new DBusPath(unitPath(name));
        }

        @Override
        public void Subscribe() {
            calls.add("Subscribe()");
            subscribed = true;
        }

        @Override
        public DBusPath RestartUnit(String name, String mode) {
            calls.add("RestartUnit(" + name + ", " + mode + ")");
            Unit unit = units.get(name);
            if (unit == null || !unit.properties.get("LoadState").equals("loaded")) {
                throw new DBusExecutionException("Unit " + name + " not found.");
            }
            long id = jobs.incrementAndGet();
            String job = "/org/freedesktop/systemd1/job/" + id;
            Behaviour behaviour = behaviours.getOrDefault(name, Behaviour.comesUp(Duration.ZERO));
            setState(name, "activating", "start");
            behaviour.jobResult().ifPresent(result -> jobRunner.schedule(() -> {
                setState(name, behaviour.activeState(), behaviour.subState());
                jobRemoved(id, job, name, result);
            }, behaviour.after().toMillis(), TimeUnit.MILLISECONDS));
            return new DBusPath(job);
        }

        @Override
        public String getObjectPath() {
            return SystemdUnits.MANAGER_PATH;
        }
    }

    /** One unit object: its org.freedesktop.systemd1.Unit properties. */
    private static final class Unit implements Properties {
        private final String path;
        private final Map<String, String> properties = new ConcurrentHashMap<>();

        Unit(String name) {
            this.path = unitPath(name);
            properties.put("Id", name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public synchronized <A> A Get(String interfaceName, String propertyName) {
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
        public synchronized Map<String, Variant<?>> GetAll(String interfaceName) {
            Map<String, Variant<?>> all = new ConcurrentHashMap<>();
            properties.forEach((k, v) -> all.put(k, new Variant<>(v)));
            return all;
        }

        @Override
        public String getObjectPath() {
            return path;
        }
    }
}
