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
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.MethodCall;
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
    /** dbus-java keeps retrying a missing socket until this runs out. */
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final Logger LOG = Logger.getLogger(SystemdUnits.class.getName());

    /** The one method of systemd's Manager that reading needs. */
    @DBusInterfaceName("org.freedesktop.systemd1.Manager")
    public interface Manager extends DBusInterface {
        @SuppressWarnings("checkstyle:MethodName")
        DBusPath LoadUnit(String name);
    }

    /** dbus-java waits 20 s for a reply by default; a bus that died must not stall the agent that long. */
    static {
        MethodCall.setDefaultTimeout(5_000);
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

    /**
     * dbus-java turns most error replies into one exception class, so a failed call alone cannot tell systemd
     * refusing one unit from systemd or the bus being gone: ask the bus whether systemd still holds its name.
     */
    private boolean systemdAnswers() {
        try {
            return connection().getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class)
                    .NameHasOwner(BUS_NAME);
        } catch (DBusException | RuntimeException e) {
            return false;
        }
    }

    private static String property(Properties properties, String name) {
        Object value = properties.Get(UNIT_INTERFACE, name);
        return String.valueOf(value instanceof Variant<?> variant ? variant.getValue() : value);
    }

    private DBusConnection connection() throws DBusException {
        if (connection == null || !connection.isConnected()) {
            connection = DBusConnectionBuilder.forAddress(busAddress).withShared(false)
                    .transportConfig().withTimeout(CONNECT_TIMEOUT_MS).back()
                    .build();
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
