package dev.vigil.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What systemd's notify socket receives: a unix datagram socket ({@code NOTIFY_SOCKET}) that python3 binds and reads,
 * since Java has no unix datagram sockets. Each datagram arrives as one line, its assignments separated by spaces.
 */
final class NotifyListener implements AutoCloseable {
    private static final String LISTENER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print("listening", flush=True)
            while True:
                # file descriptors sent along (systemd-notify's barrier) are closed by a read without room for them
                print(s.recv(65536).decode(errors="replace").replace("\\n", " ").strip(), flush=True)
            """;

    private final Path socket;
    private final Process process;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> everything = new CopyOnWriteArrayList<>();

    private NotifyListener(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    static NotifyListener start(Path directory) throws IOException, InterruptedException {
        Path socket = directory.resolve("notify.sock");
        if (socket.toString().length() > 100) {
            throw new IllegalStateException("a unix socket path holds about 100 characters, not " + socket);
        }
        Process process = new ProcessBuilder(HostTools.require("python3").toString(), "-c", LISTENER,
                socket.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        NotifyListener listener = new NotifyListener(socket, process);
        Thread.ofPlatform().daemon().name("notify-listener").start(listener::read);
        if (!"listening".equals(listener.messages.poll(30, TimeUnit.SECONDS))) {
            listener.close();
            throw new IllegalStateException("python3 did not bind " + socket + " within 30 s");
        }
        return listener;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                messages.add(line);
                everything.add(line);
            }
        } catch (IOException e) {
            messages.add("listener failed: " + e);
        }
    }

    Path socket() {
        return socket;
    }

    /** Waits for a datagram that holds {@code assignment} (such as {@code READY=1}); false when none came in time. */
    boolean await(String assignment, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String message = messages.poll(left, TimeUnit.NANOSECONDS);
            if (message != null && (" " + message + " ").contains(" " + assignment + " ")) {
                return true;
            }
        }
        return false;
    }

    /** Every datagram so far, in order, {@link #clear} or not. */
    List<String> everything() {
        return List.copyOf(everything);
    }

    /** Forgets what has arrived so far, for {@link #await}. */
    void clear() {
        messages.clear();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
