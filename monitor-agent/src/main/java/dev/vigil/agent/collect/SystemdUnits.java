package dev.vigil.agent.collect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import dev.vigil.agent.collect.Snapshot.ServiceState;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Reads the states of the watched systemd units over the system bus, as {@code systemctl show} does:
 * {@code Manager.LoadUnit(name)} then the unit's {@code ActiveState}, {@code SubState} and {@code LoadState}.
 * Without a reachable systemd the list is empty and one log line says why; the next read tries again.
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

    private final String busAddress;
    private final List<String> units;
    private final Set<String> failingUnits = ConcurrentHashMap.newKeySet();
    private DBusConnection connection;
    private boolean unavailable;

    public SystemdUnits(String busAddress, List<String> units) {
        this.busAddress = busAddress;
        this.units = List.copyOf(units);
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
            return states;
        } catch (DBusException | RuntimeException e) {
            closeConnection();
            if (!unavailable) {
                LOG.warning("Watched services are not reported: systemd cannot be reached on the system bus at "
                        + busAddress + " (" + e.getMessage() + "); the agent keeps serving and retries");
                unavailable = true;
            }
            return List.of();
        }
    }

    private ServiceState state(Manager manager, String unit) throws DBusException {
        try {
            DBusPath path = manager.LoadUnit(unit);
            Properties properties = connection().getRemoteObject(BUS_NAME, path.getPath(), Properties.class);
            ServiceState state = new ServiceState(unit,
                    property(properties, "ActiveState"),
                    property(properties, "SubState"),
                    property(properties, "LoadState"));
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

    private DBusConnection connection() throws DBusException {
        if (connection == null || !connection.isConnected()) {
            connection = SystemBus.connect(busAddress);
        }
        return connection;
    }

    private void closeConnection() {
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
        closeConnection();
    }
}
