package dev.vigil.agent.collect;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.messages.MethodCall;

/** Connections to the system bus, shared by the unit reader and the actions: short timeouts everywhere. */
public final class SystemBus {
    /** dbus-java keeps retrying a missing socket until this runs out. */
    private static final int CONNECT_TIMEOUT_MS = 1000;

    /** dbus-java waits 20 s for a reply by default; a bus that died must not stall the agent that long. */
    static {
        MethodCall.setDefaultTimeout(5_000);
    }

    private SystemBus() {
    }

    /** A private (unshared) connection: closing it never disturbs another user of the bus. */
    public static DBusConnection connect(String address) throws DBusException {
        return DBusConnectionBuilder.forAddress(address).withShared(false)
                .transportConfig().withTimeout(CONNECT_TIMEOUT_MS).back()
                .build();
    }

    /**
     * dbus-java turns most error replies into one exception class, so a failed call alone cannot tell a service
     * refusing a request from the service or the bus being gone: ask the bus whether the service holds its name.
     */
    public static boolean hasOwner(DBusConnection connection, String busName) {
        try {
            return connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class)
                    .NameHasOwner(busName);
        } catch (DBusException | RuntimeException e) {
            return false;
        }
    }
}
