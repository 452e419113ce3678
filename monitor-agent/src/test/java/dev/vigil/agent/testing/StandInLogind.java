package dev.vigil.agent.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.agent.act.LogindReboot;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/** A stand-in for systemd-logind on a test bus: owns {@code org.freedesktop.login1} and records Reboot calls. */
public final class StandInLogind implements AutoCloseable {
    private final DBusConnection connection;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private StandInLogind(DBusConnection connection) {
        this.connection = connection;
    }

    public static StandInLogind export(String busAddress) throws DBusException {
        StandInLogind logind = new StandInLogind(DBusConnectionBuilder.forAddress(busAddress).withShared(false).build());
        logind.connection.exportObject(LogindReboot.MANAGER_PATH, new LogindReboot.Manager() {
            @Override
            public void Reboot(boolean interactive) {
                logind.calls.add("Reboot(" + interactive + ")");
            }

            @Override
            public String getObjectPath() {
                return LogindReboot.MANAGER_PATH;
            }
        });
        logind.connection.requestBusName(LogindReboot.BUS_NAME);
        return logind;
    }

    /** The calls so far: {@code Reboot(false)}. Nothing reboots. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
