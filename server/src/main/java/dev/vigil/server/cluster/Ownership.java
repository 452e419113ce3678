package dev.vigil.server.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.LeaseStore;

/**
 * Which hosts this instance polls and runs the rules of, when several instances share one database
 * (docs/scaling.md). Each host has a lease row; every {@code ttl / 3} this instance renews its heartbeat and its
 * leases, works out its fair share (the hosts over the live instances, rounded up), claims free or expired leases
 * up to it and gives up what it holds beyond it, so that ownership spreads evenly as instances come and go. A dead
 * instance's leases expire after {@code ttl} and are claimed within the next round: its hosts move within
 * {@code 2 × ttl}.
 *
 * <p>It stands between the host registry and the stages that work per host (poller, event streams, rules): they
 * hear of a host as registered when it is claimed here and as removed when it is given up or lost, and of the
 * registry's changes only for the hosts owned here. Alone on its database an instance owns every host.
 *
 * <p>While the database cannot be reached no lease can be claimed by anyone, so the hosts owned stay owned; the
 * first round that reaches it again drops those another instance took meanwhile.
 */
public final class Ownership implements HostStore.Listener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Ownership.class.getName());

    /**
     * @param instance this instance's name in the database, unique among the replicas ({@code VIGIL_INSTANCE_ID})
     * @param ttl      how long a lease or heartbeat lasts without renewal ({@code VIGIL_LEASE_TTL})
     */
    public record Settings(String instance, Duration ttl) {
        public Duration round() {
            return ttl.dividedBy(3);
        }
    }

    private final Settings settings;
    private final LeaseStore leases;
    private final HostStore hosts;
    private final List<HostStore.Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-ownership").daemon().factory());
    /** Held by a round and by a change of the registry, which never overlap. */
    private final Object rounds = new Object();
    /** The hosts owned here, as last passed on to the stages (changed only under {@link #rounds}). */
    private final Map<Long, Host> owned = new ConcurrentHashMap<>();
    private volatile long liveInstances = 1;
    private volatile boolean failing;

    public Ownership(Settings settings, LeaseStore leases, HostStore hosts) {
        this.settings = settings;
        this.leases = leases;
        this.hosts = hosts;
    }

    /** Who hears of the hosts owned here, as if of the registry. */
    public void addListener(HostStore.Listener listener) {
        listeners.add(listener);
    }

    /** The first round, now (a database that cannot be reached fails the start), then one every {@code ttl / 3}. */
    public void start() {
        round();
        long every = settings.round().toMillis();
        timer.scheduleWithFixedDelay(this::roundLogged, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Instance " + settings.instance() + " owns " + ownedHosts() + " hosts of " + liveInstances
                + " live instances (leases last " + settings.ttl().toSeconds() + " s)");
    }

    public String instance() {
        return settings.instance();
    }

    public int ownedHosts() {
        return owned.size();
    }

    public boolean owns(long hostId) {
        return owned.containsKey(hostId);
    }

    /** The instances alive at the last round, this one included. */
    public long liveInstances() {
        return liveInstances;
    }

    private void roundLogged() {
        try {
            round();
            if (failing) {
                failing = false;
                LOG.info("Host leases are renewed again; instance " + settings.instance() + " owns " + ownedHosts()
                        + " hosts");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Cannot renew host leases (" + e.getMessage() + "); the " + ownedHosts()
                        + " hosts owned here stay owned until the database answers again", e);
            }
        }
    }

    private void round() {
        synchronized (rounds) {
            roundLocked();
        }
    }

    private void roundLocked() {
        liveInstances = Math.max(1, leases.heartbeat(settings.instance(), settings.ttl()));
        long total = leases.hostsWithLeases();
        TreeSet<Long> held = new TreeSet<>(leases.renew(settings.instance(), settings.ttl()));
        long share = (total + liveInstances - 1) / liveInstances;
        if (held.size() < share) {
            held.addAll(leases.claim(settings.instance(), settings.ttl(), share - held.size()));
        }
        List<Long> surplus = new ArrayList<>();
        while (held.size() > share) {
            surplus.add(held.pollLast());
        }
        take(held, hosts.list().stream().collect(Collectors.toMap(Host::id, Function.identity())));
        for (long hostId : surplus) {
            leases.release(hostId, settings.instance()); // after its stages let it go: never polled twice
        }
    }

    /**
     * Makes {@code held} the hosts owned here: the stages hear of what was lost or given up, of what is new, and of
     * owned hosts that changed in the registry (through this instance or another one).
     */
    private void take(Set<Long> held, Map<Long, Host> registry) {
        int lost = 0;
        int gained = 0;
        for (Long hostId : List.copyOf(owned.keySet())) {
            if (!registry.containsKey(hostId)) {
                owned.remove(hostId);
                listeners.forEach(listener -> listener.removed(hostId));
                lost++;
            } else if (!held.contains(hostId)) {
                owned.remove(hostId);
                listeners.forEach(listener -> listener.released(hostId));
                lost++;
            }
        }
        for (long hostId : held) {
            Host host = registry.get(hostId);
            if (host == null || host.equals(owned.get(hostId))) {
                continue; // removed since the leases were read (its lease went with it), or known as it is
            }
            Optional<Host.Credentials> credentials = hosts.credentials(hostId);
            if (credentials.isEmpty()) {
                continue;
            }
            gained += owned.put(hostId, host) == null ? 1 : 0;
            listeners.forEach(listener -> listener.registered(host, credentials.get()));
        }
        if (lost > 0 || gained > 0) {
            LOG.info("Instance " + settings.instance() + " owns " + owned.size() + " hosts (" + gained + " taken, "
                    + lost + " lost or given up; " + liveInstances + " live instances)");
        }
    }

    /**
     * A host registered or changed through this instance: a host owned here is passed on; a new one is claimed here
     * at once (the rounds spread it later if this instance holds more than its share).
     */
    @Override
    public void registered(Host host, Host.Credentials credentials) {
        synchronized (rounds) {
            if (owns(host.id()) || claimNew(host.id())) {
                owned.put(host.id(), host);
                listeners.forEach(listener -> listener.registered(host, credentials));
            }
        }
    }

    private boolean claimNew(long hostId) {
        try {
            return leases.claimNew(hostId, settings.instance(), settings.ttl());
        } catch (RuntimeException e) {
            LOG.warning("Cannot claim the lease of the new host " + hostId + " (" + e.getMessage() + "); the next"
                    + " round of some instance claims it");
            return false;
        }
    }

    @Override
    public void removed(long hostId) {
        synchronized (rounds) {
            if (owned.remove(hostId) != null) {
                listeners.forEach(listener -> listener.removed(hostId));
            }
        }
    }

    /** Stops the rounds and gives every lease up, so that the other instances take the hosts at their next round. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            leases.leave(settings.instance());
        } catch (RuntimeException e) {
            LOG.warning("Cannot give the host leases up (" + e.getMessage() + "); they expire in "
                    + settings.ttl().toSeconds() + " s and the other instances take the hosts then");
        }
    }
}
