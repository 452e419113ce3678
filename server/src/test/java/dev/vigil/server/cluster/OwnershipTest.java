package dev.vigil.server.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.store.Database;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import dev.vigil.server.store.LeaseStore;
import dev.vigil.server.store.SecretBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Host leases on a real MariaDB: two instances, each with the registry of its own, as two replicas have. */
class OwnershipTest {
    private static final Duration TTL = Duration.ofSeconds(3);

    private Database database;
    private ServerConfig config;
    private final List<Ownership> instances = new ArrayList<>();

    /** What the stages behind one instance were told: the hosts they work on now, with the last version heard. */
    private static final class Stages implements HostStore.Listener {
        final Map<Long, Host> hosts = new ConcurrentHashMap<>();

        @Override
        public void registered(Host host, Host.Credentials credentials) {
            hosts.put(host.id(), host);
        }

        @Override
        public void removed(long hostId) {
            hosts.remove(hostId);
        }
    }

    @BeforeEach
    void open() {
        config = TestDatabase.serverConfig();
        database = Database.open(config);
    }

    @AfterEach
    void close() {
        instances.forEach(Ownership::close);
        database.close();
    }

    private HostStore registry() {
        return new HostStore(database.client(), SecretBox.open(Optional.empty(), config.dataDir()));
    }

    private Ownership instance(String name, HostStore registry, Stages stages) {
        Ownership ownership = new Ownership(new Ownership.Settings(name, TTL), new LeaseStore(database.client()),
                registry);
        registry.addListener(ownership);
        ownership.addListener(stages);
        ownership.start();
        instances.add(ownership);
        return ownership;
    }

    private static Host.Spec spec(String name) {
        return new Host.Spec(name, URI.create("http://127.0.0.1:1/" + name), Optional.of("t"), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), Host.Policy.NONE);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TTL.multipliedBy(4).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aloneAnInstanceOwnsEveryHostAndHearsOfNewOnesAtOnce() {
        HostStore registry = registry();
        Host before = registry.create(spec("before"));
        Stages stages = new Stages();
        Ownership alone = instance("alone", registry, stages);
        assertEquals(Set.of(before.id()), stages.hosts.keySet(), "owned from the first round, before start returns");

        Host added = registry.create(spec("added"));
        assertEquals(Set.of(before.id(), added.id()), stages.hosts.keySet(), "a host registered here: claimed at once");
        assertEquals(2, alone.ownedHosts());
        registry.delete(before.id());
        assertEquals(Set.of(added.id()), stages.hosts.keySet());
        assertEquals(1, alone.liveInstances());
    }

    @Test
    void twoInstancesSplitTheHostsEvenlyNeverBothOwnOneAndFollowChangesMadeThroughTheOther() throws Exception {
        HostStore registryA = registry();
        for (int i = 0; i < 10; i++) {
            registryA.create(spec("h" + i));
        }
        Stages onA = new Stages();
        Stages onB = new Stages();
        Ownership a = instance("a", registryA, onA);
        assertEquals(10, a.ownedHosts());
        HostStore registryB = registry();
        Ownership b = instance("b", registryB, onB);
        await("an even split", () -> a.ownedHosts() == 5 && b.ownedHosts() == 5);
        Set<Long> both = new HashSet<>(onA.hosts.keySet());
        both.retainAll(onB.hosts.keySet());
        assertEquals(Set.of(), both, "no host owned by both");
        assertEquals(10, onA.hosts.size() + onB.hosts.size());

        long ownedByB = onB.hosts.keySet().iterator().next();
        Host changed = registryA.update(ownedByB, new Host.Spec("renamed", URI.create("http://127.0.0.1:2/"),
                Optional.empty(), Optional.empty(), Optional.of(30), Optional.empty(), Map.of(), Host.Policy.NONE))
                .orElseThrow();
        await("b hears of the change made through a", () -> changed.equals(onB.hosts.get(ownedByB)));
        registryA.delete(ownedByB);
        await("b hears of the removal made through a", () -> !onB.hosts.containsKey(ownedByB));

        b.close();
        instances.remove(b);
        await("a takes every host of b, which left cleanly", () -> a.ownedHosts() == 9);
        assertTrue(onA.hosts.keySet().containsAll(registryA.list().stream().map(Host::id).toList()));
    }
}
