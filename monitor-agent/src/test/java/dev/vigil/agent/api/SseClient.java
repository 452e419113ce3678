package dev.vigil.agent.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.vigil.agent.Agent;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client of GET /api/v1/events over a plain socket (so that closing it surely closes the connection): it reads
 * the status and headers, then decodes the chunked body into frames on a thread of its own.
 */
final class SseClient implements AutoCloseable {

    /** One frame: its {@code id:}, {@code event:} and {@code data:} fields (null when absent), or a comment. */
    record Frame(String id, String event, String data, String comment) {
        JsonObject json() {
            return Json.createReader(new java.io.StringReader(data)).readObject();
        }
    }

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(Socket socket, int status, Map<String, String> headers, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.reader = status == 200 ? Thread.ofVirtual().start(this::read) : null;
    }

    static SseClient open(Agent agent, String token, String lastEventId) throws IOException {
        return open(agent.port(), token, lastEventId);
    }

    static SseClient open(int port, String token, String lastEventId) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        String request = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = line(in);
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        assertEquals("chunked", headers.getOrDefault("transfer-encoding", "chunked"), headers.toString());
        return new SseClient(socket, Integer.parseInt(statusLine.split(" ")[1]), headers, new Chunked(in));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection ended within the headers: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** The body of a chunked response. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        /** At most the rest of the current chunk: a frame is handed on as soon as it is in. */
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in);
                }
                left = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the connection ended within a chunk");
            }
            left -= n;
            return n;
        }
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            String data = null;
            String comment = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    frames.add(new Frame(id, event, data, comment));
                    id = event = data = comment = null;
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).strip();
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else {
                    frames.add(new Frame(null, null, null, "unexpected line: " + line));
                }
            }
        } catch (IOException e) {
            // the stream ended: ended says so
        } finally {
            ended = true;
        }
    }

    /** The next frame within {@code wait}; fails the test otherwise. */
    Frame next(Duration wait) throws InterruptedException {
        Frame frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            fail("no frame within " + wait + (ended ? " (the stream ended)" : ""));
        }
        return frame;
    }

    /** The next frame that is no heartbeat. */
    Frame nextEvent(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Frame frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame.comment() == null) {
                return frame;
            }
        }
    }

    /** The frames that arrived so far. */
    List<Frame> drain() {
        List<Frame> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws Exception {
        socket.close();
        if (reader != null) {
            reader.join(5_000);
        }
    }
}
