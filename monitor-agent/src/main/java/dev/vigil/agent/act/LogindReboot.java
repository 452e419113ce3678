package dev.vigil.agent.act;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Logger;

import dev.vigil.agent.collect.SystemBus;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * Reboots the host through systemd-logind, as {@code systemctl reboot} does. The call is made a moment after
 * the answer has gone out: once logind acts, the agent may not get to answer at all.
 */
public final class LogindReboot {
    public static final String BUS_NAME = "org.freedesktop.login1";
    public static final String MANAGER_PATH = "/org/freedesktop/login1";
    static final Duration DELAY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(LogindReboot.class.getName());

    /** The one method of logind's Manager the agent calls. */
    @DBusInterfaceName("org.freedesktop.login1.Manager")
    @SuppressWarnings("checkstyle:MethodName")
    public interface Manager extends DBusInterface {
        /** {@code interactive} false: polkit must allow it outright, nobody is asked for a password. */
        void Reboot(boolean interactive);
    }

    private final String busAddress;

    LogindReboot(String busAddress) {
        this.busAddress = busAddress;
    }

    /** Asks logind to reboot after {@link #DELAY}, on a thread of its own; the outcome goes to the log. */
    void rebootSoon(UUID action) {
        Thread.ofVirtual().name("vigil-reboot").start(() -> {
            try {
                Thread.sleep(DELAY);
            } catch (InterruptedException e) {
                LOG.warning("action " + action + ": the reboot was not requested from logind: the agent is stopping");
                return;
            }
            LOG.info("action " + action + ": " + reboot());
        });
    }

    private String reboot() {
        try (DBusConnection bus = SystemBus.connect(busAddress)) {
            bus.getRemoteObject(BUS_NAME, MANAGER_PATH, Manager.class).Reboot(false);
            return "logind accepted the reboot request";
        } catch (DBusException | DBusExecutionException | IOException e) {
            return "logind did not reboot this host: " + e.getMessage() + " (system bus at " + busAddress + ")";
        }
    }
}
