package dev.vigil.agent.collect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Logger;

import dev.vigil.agent.collect.Snapshot.ServiceState;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Reads the states of the watched systemd units over the system bus, as {@code systemctl show} does:
 * {@code Manager.LoadUnit(name)} then the unit's {@code ActiveState}, {@code SubState} and {@code LoadState}.
 * Without a reachable systemd the list is empty and one log line says why; the next read tries again.
 * <p>
 * With a change listener it also follows systemd's {@code PropertiesChanged} signals on each unit's object path
 * (after {@code Manager.Subscribe}, without which systemd sends none): a change of those three properties
 * updates {@link #current()} at once and is handed to the listener, as is a change a read finds (one the
 * signals missed while the bus was away). Signals are handled on a thread of their own, never on the bus's.
 */
public final class SystemdUnits implements AutoCloseable {
    public static final String BUS_NAME = "org.freedesktop.systemd1";
    public static final String MANAGER_PATH = "/org/freedesktop/systemd1";
    public static final String UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";
    private static final Logger LOG = Logger.getLogger(SystemdUnits.class.getName());

    /**
     * The part of systemd's Manager the agent uses: {@code LoadUnit} to read a unit, and {@code Subscribe},
     * {@code RestartUnit} and the {@code JobRemoved} signal to restart one and learn how the restart ended.
     */
    @DBusInterfaceName("org.freedesktop.systemd1.Manager")
    @SuppressWarnings("checkstyle:MethodName")
    public interface Manager extends DBusInterface {
        DBusPath LoadUnit(String name);

        /** Without a subscription systemd sends no job signals to this client. */
        void Subscribe();

        /** Queues a restart job and answers its object path at once; {@link JobRemoved} says how it ended. */
        DBusPath RestartUnit(String name, String mode);

        /** A job finished: {@code result} is {@code done}, {@code failed}, {@code timeout}, {@code canceled}…. */
        final class JobRemoved extends DBusSignal {
            private final DBusPath job;
            private final String unit;
            private final String result;

            public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
                super(path, id, job, unit, result);
                this.job = job;
                this.unit = unit;
                this.result = result;
            }

            public DBusPath job() {
                return job;
            }

            public String unit() {
                return unit;
            }

            public String result() {
                return result;
            }
        }
    }

    private static final List<String> STATE_PROPERTIES = List.of("ActiveState", "SubState", "LoadState");

    private final String busAddress;
    private final List<String> units;
    private final Set<String> failingUnits = ConcurrentHashMap.newKeySet();
    private final Optional<Consumer<ServiceState>> onChange;
    private final Optional<ExecutorService> signalled;
    /** The last state seen of each unit, kept while the bus is away so that only real changes are told. */
    private final Map<String, ServiceState> lastSeen = new HashMap<>();
    /** The units whose signals the current connection receives, by object path. */
    private final Map<String, String> watchedPaths = new ConcurrentHashMap<>();
    private volatile List<ServiceState> current = List.of();
    private DBusConnection connection;
    private boolean unavailable;
    private volatile Optional<String> problem = Optional.empty();

    /** Reads the states when asked, without following systemd's signals. */
    public SystemdUnits(String busAddress, List<String> units) {
        this(busAddress, units, Optional.empty());
    }

    /** Reads the states when asked and follows systemd's signals in between; {@code onChange} hears every change. */
    public SystemdUnits(String busAddress, List<String> units, Consumer<ServiceState> onChange) {
        this(busAddress, units, Optional.of(onChange));
    }

    private SystemdUnits(String busAddress, List<String> units, Optional<Consumer<ServiceState>> onChange) {
        this.busAddress = busAddress;
        this.units = List.copyOf(units);
        this.onChange = onChange;
        this.signalled = onChange.map(listener -> Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("vigil-unit-signals").daemon().stackSize(256 * 1024).factory()));
    }

    public synchronized List<ServiceState> read() {
        if (units.isEmpty()) {
            return List.of();
        }
        try {
            Manager manager = connection().getRemoteObject(BUS_NAME, MANAGER_PATH, Manager.class);
            List<ServiceState> states = new ArrayList<>(units.size());
            for (String unit : units) {
                states.add(state(manager, unit));
            }
            if (unavailable) {
                LOG.info("systemd answers on the system bus again (" + busAddress + "): reporting watched services");
                unavailable = false;
            }
            current = List.copyOf(states);
            states.forEach(this::seen);
            problem = failingUnits.isEmpty() ? Optional.empty()
                    : Optional.of("systemd refuses to describe " + String.join(", ", new TreeSet<>(failingUnits)));
            return states;
        } catch (DBusException | RuntimeException e) {
            closeConnection();
            current = List.of();
            String unreachable = "systemd cannot be reached on the system bus at " + busAddress + " ("
                    + e.getMessage() + ")";
            problem = Optional.of(unreachable);
            if (!unavailable) {
                LOG.warning("Watched services are not reported: " + unreachable
                        + "; the agent keeps serving and retries");
                unavailable = true;
            }
            return List.of();
        }
    }

    /** Why the last read did not describe every watched unit; empty when it did. */
    public Optional<String> problem() {
        return problem;
    }

    /** The states of the last read, with every change systemd signalled since; empty while systemd is away. */
    public List<ServiceState> current() {
        return current;
    }

    private ServiceState state(Manager manager, String unit) throws DBusException {
        try {
            DBusPath path = manager.LoadUnit(unit);
            // watched before the read: a change between the two is then read or signalled, never lost
            watch(path.getPath(), unit);
            ServiceState state = read(path.getPath(), unit);
            failingUnits.remove(unit);
            return state;
        } catch (DBusExecutionException e) {
            if (!systemdAnswers()) {
                throw e;
            }
            if (failingUnits.add(unit)) {
                LOG.warning("systemd refused to describe unit " + unit + ": " + e.getMessage());
            }
            return new ServiceState(unit, "unknown", "unknown", "error");
        }
    }

    private boolean systemdAnswers() {
        try {
            return SystemBus.hasOwner(connection(), BUS_NAME);
        } catch (DBusException e) {
            return false;
        }
    }

    /** One {@code org.freedesktop.systemd1.Unit} property of a unit object, as text. */
    public static String property(Properties properties, String name) {
        Object value = properties.Get(UNIT_INTERFACE, name);
        return String.valueOf(value instanceof Variant<?> variant ? variant.getValue() : value);
    }

    /**
     * One {@code GetAll}: three {@code Get}s could straddle a change and report a state the unit never had (active
     * and failed at once), told as a change of its own.
     */
    private ServiceState read(String path, String unit) throws DBusException {
        Map<String, Variant<?>> all = connection().getRemoteObject(BUS_NAME, path, Properties.class)
                .GetAll(UNIT_INTERFACE);
        return new ServiceState(unit, value(all, "ActiveState", "unknown"), value(all, "SubState", "unknown"),
                value(all, "LoadState", "unknown"));
    }

    private void watch(String path, String unit) throws DBusException {
        if (onChange.isPresent() && watchedPaths.putIfAbsent(path, unit) == null) {
            DBusConnection bus = connection();
            bus.addSigHandler(DBusMatchRuleBuilder.create().withType(Properties.PropertiesChanged.class)
                    .withPath(path).build(), (Properties.PropertiesChanged signal) -> signalled(bus, signal));
        }
    }

    /** On the bus's signal thread: hands a change of the three states on, and does nothing else. */
    private void signalled(DBusConnection bus, Properties.PropertiesChanged signal) {
        String unit = watchedPaths.get(signal.getPath());
        boolean states = STATE_PROPERTIES.stream().anyMatch(name -> signal.getPropertiesChanged().containsKey(name)
                || signal.getPropertiesRemoved().contains(name));
        if (unit != null && states && UNIT_INTERFACE.equals(signal.getInterfaceName())) {
            signalled.orElseThrow().execute(() -> changed(bus, unit, signal));
        }
    }

    /**
     * Takes the states from the signal where it carries them, from the last seen state where it leaves them
     * alone, and reads them again where it only says they changed.
     */
    private synchronized void changed(DBusConnection bus, String unit, Properties.PropertiesChanged signal) {
        if (bus != connection) {
            return; // the connection it came on is gone; the next read catches up
        }
        Map<String, Variant<?>> values = signal.getPropertiesChanged();
        ServiceState before = lastSeen.get(unit);
        boolean complete = STATE_PROPERTIES.stream().allMatch(name -> values.containsKey(name)
                || before != null && !signal.getPropertiesRemoved().contains(name));
        ServiceState state;
        if (complete) {
            state = new ServiceState(unit,
                    value(values, "ActiveState", before == null ? null : before.activeState()),
                    value(values, "SubState", before == null ? null : before.subState()),
                    value(values, "LoadState", before == null ? null : before.loadState()));
        } else {
            try {
                state = read(signal.getPath(), unit);
            } catch (DBusException | RuntimeException e) {
                LOG.fine(() -> "Reading " + unit + " after its change signal: " + e + "; the next read catches up");
                return;
            }
        }
        current = current.stream().map(known -> known.unit().equals(unit) ? state : known).toList();
        seen(state);
    }

    private static String value(Map<String, Variant<?>> values, String name, String otherwise) {
        Variant<?> value = values.get(name);
        return value == null ? otherwise : String.valueOf(value.getValue());
    }

    /** Remembers a unit's state and tells the listener when it differs from the last one seen. */
    private void seen(ServiceState state) {
        ServiceState before = lastSeen.put(state.unit(), state);
        if (before != null && !before.equals(state)) {
            onChange.ifPresent(listener -> listener.accept(state));
        }
    }

    /** A new connection also subscribes to systemd's signals, when they are followed. */
    private DBusConnection connection() throws DBusException {
        if (connection == null || !connection.isConnected()) {
            closeConnection();
            connection = SystemBus.connect(busAddress);
            if (onChange.isPresent()) {
                connection.getRemoteObject(BUS_NAME, MANAGER_PATH, Manager.class).Subscribe();
            }
        }
        return connection;
    }

    private void closeConnection() {
        watchedPaths.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.fine("Closing the D-Bus connection: " + e);
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        signalled.ifPresent(ExecutorService::shutdownNow);
        closeConnection();
    }
}
