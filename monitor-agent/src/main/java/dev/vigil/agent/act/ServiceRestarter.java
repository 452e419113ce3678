package dev.vigil.agent.act;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import dev.vigil.agent.collect.SystemBus;
import dev.vigil.agent.collect.SystemdUnits;
import dev.vigil.agent.collect.SystemdUnits.Manager;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * Restarts a unit as {@code systemctl restart} does: {@code RestartUnit(unit, "replace")}, then waits for the
 * job's {@code JobRemoved} signal and reads the unit's state. Each restart uses a connection of its own, so a
 * bus that went away since the last one is simply connected to again.
 */
final class ServiceRestarter {
    private static final Logger LOG = Logger.getLogger(ServiceRestarter.class.getName());
    private static final long POLL_MS = 100;

    private final String busAddress;
    private final Duration timeout;

    ServiceRestarter(String busAddress, Duration timeout) {
        this.busAddress = busAddress;
        this.timeout = timeout;
    }

    /** The unit's state after the restart. */
    private record UnitState(String active, String sub) {
        @Override
        public String toString() {
            return active + " (" + sub + ")";
        }
    }

    Outcome restart(String unit) {
        DBusConnection bus;
        try {
            bus = SystemBus.connect(busAddress);
        } catch (DBusException e) {
            return unreachable(e.getMessage());
        }
        try {
            return restart(bus, unit);
        } catch (DBusException e) {
            return unreachable(e.getMessage());
        } catch (DBusExecutionException e) {
            if (!bus.isConnected() || !SystemBus.hasOwner(bus, SystemdUnits.BUS_NAME)) {
                return unreachable(e.getMessage());
            }
            return Outcome.failed("systemd refused to restart " + unit + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("the agent stopped while waiting for the restart of " + unit);
        } finally {
            try {
                bus.close();
            } catch (IOException e) {
                LOG.fine("Closing the D-Bus connection: " + e);
            }
        }
    }

    private Outcome restart(DBusConnection bus, String unit) throws DBusException, InterruptedException {
        Manager manager = bus.getRemoteObject(SystemdUnits.BUS_NAME, SystemdUnits.MANAGER_PATH, Manager.class);
        // Listening starts before the job exists: a job that ends at once must not end unseen.
        Map<String, CompletableFuture<String>> jobResults = new ConcurrentHashMap<>();
        bus.addSigHandler(Manager.JobRemoved.class,
                removed -> jobFor(jobResults, removed.job().getPath()).complete(removed.result()));
        manager.Subscribe();
        DBusPath job = manager.RestartUnit(unit, "replace");
        Optional<String> jobResult = await(bus, jobFor(jobResults, job.getPath()), unit);
        UnitState state = state(bus, manager, unit);
        if (jobResult.isEmpty()) {
            return Outcome.failed("the restart job did not finish within " + Outcome.seconds(timeout) + "; "
                    + unit + " is " + state);
        }
        if (!jobResult.get().equals("done")) {
            return Outcome.failed("restart job failed (result \"" + jobResult.get() + "\"); " + unit + " is " + state);
        }
        if (!state.active().equals("active")) {
            return Outcome.failed("the restart job is done but " + unit + " is " + state);
        }
        return Outcome.succeeded(unit + " restarted; it is " + state);
    }

    private static CompletableFuture<String> jobFor(Map<String, CompletableFuture<String>> results, String job) {
        return results.computeIfAbsent(job, path -> new CompletableFuture<>());
    }

    /** The job's result, or empty when the timeout ran out first; a lost connection is an error. */
    private Optional<String> await(DBusConnection bus, CompletableFuture<String> jobResult, String unit)
            throws DBusException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            try {
                return Optional.of(jobResult.get(Math.max(left, 0), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                if (!bus.isConnected()) {
                    throw new DBusException("the connection was lost while waiting for the restart job of " + unit);
                }
                if (System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("the job result is only ever completed with a value", e);
            }
        }
    }

    private static UnitState state(DBusConnection bus, Manager manager, String unit) throws DBusException {
        DBusPath path = manager.LoadUnit(unit);
        Properties properties = bus.getRemoteObject(SystemdUnits.BUS_NAME, path.getPath(), Properties.class);
        return new UnitState(SystemdUnits.property(properties, "ActiveState"),
                SystemdUnits.property(properties, "SubState"));
    }

    private Outcome unreachable(String reason) {
        return Outcome.failed("systemd cannot be reached on the system bus at " + busAddress + " (" + reason + ")");
    }
}
