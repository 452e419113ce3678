package dev.vigil.server.watch;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One {@code GET} of an agent's event stream over a socket of its own: HTTP/1.1, {@code Connection: close}, the
 * answer's body as a plain {@link InputStream} (chunked or not). Thousands of these stay open for days and carry a
 * heartbeat every 15 s, so each holds no more than its socket and two small buffers — the JDK's HTTP client kept
 * about 65 KiB per open stream. TLS as the poller's: the context of {@code AgentTls}, and the certificate must name
 * the host of the URL.
 */
final class EventConnection implements Closeable {
    private static final int BUFFER = 1024;
    /** The status line and headers together: an agent's answer has a handful. */
    private static final int MAX_HEAD = 16 * 1024;

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;

    private EventConnection(Socket socket, int status, Map<String, String> headers, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Connects, sends the request and reads the answer's head.
     *
     * @param requestHeaders sent as given; values must be free of control characters (the caller's tokens are)
     * @throws IOException when the agent cannot be reached, the handshake fails, the head does not come within
     *                     {@code headersTimeout}, or it is not HTTP/1.x
     */
    static EventConnection open(URI uri, SSLContext tls, Duration connectTimeout, Duration headersTimeout,
                                Map<String, String> requestHeaders) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        String host = uri.getHost();
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) headersTimeout.toMillis());
            if (https) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            StringBuilder request = new StringBuilder(256).append("GET ").append(target(uri)).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getRawAuthority()).append("\r\n");
            requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            Head head = Head.read(in);
            // from here on the stream's own idle watchdog decides how long silence may last
            socket.setSoTimeout(0);
            return new EventConnection(socket, head.status(), head.headers(), body(head.headers(), in));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static InputStream body(Map<String, String> headers, InputStream in) throws IOException {
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            return new Chunked(in);
        }
        String length = headers.get("content-length");
        if (length != null) {
            try {
                return new Bounded(in, Long.parseLong(length.strip()));
            } catch (NumberFormatException e) {
                throw new IOException("a Content-Length that is no number");
            }
        }
        return in;
    }

    int status() {
        return status;
    }

    /** A header of the answer by its name in any case; empty when the agent did not send it. */
    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    InputStream body() {
        return body;
    }

    /** Closes the socket: a read blocked on it, on any thread, ends with an exception. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The status and the headers (names in lower case; a repeated header keeps its last value). */
    private record Head(int status, Map<String, String> headers) {
        static Head read(InputStream in) throws IOException {
            int[] budget = {MAX_HEAD};
            String statusLine = line(in, budget);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.") || statusLine.length() < 12
                    || statusLine.charAt(8) != ' ') {
                throw new IOException("the agent's answer is not HTTP/1.1");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("the agent's answer has no status code");
            }
            Map<String, String> headers = new HashMap<>();
            for (String header = line(in, budget); ; header = line(in, budget)) {
                if (header == null) {
                    throw new IOException("the agent closed the connection inside the answer's headers");
                }
                if (header.isEmpty()) {
                    return new Head(status, headers);
                }
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).strip());
                }
            }
        }
    }

    /** One line without its CRLF (or LF); null at the end of the stream before any byte. */
    private static String line(InputStream in, int[] budget) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (--budget[0] < 0) {
                throw new IOException("the agent's answer has a head longer than " + MAX_HEAD / 1024 + " KiB");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    /** A body of {@code Transfer-Encoding: chunked}, decoded; its end is the zero-size chunk. */
    private static final class Chunked extends InputStream {
        private static final int MAX_SIZE_LINE = 1024;
        private final InputStream in;
        private long left;
        private boolean ended;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (left == 0) {
                left = nextSize();
                if (left == 0) {
                    ended = true;
                    return -1;
                }
            }
            int read = in.read(into, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new IOException("the agent closed the connection inside a chunk");
            }
            left -= read;
            if (left == 0) {
                expectLineEnd();
            }
            return read;
        }

        private long nextSize() throws IOException {
            int[] budget = {MAX_SIZE_LINE};
            String line = line(in, budget);
            if (line == null) {
                throw new IOException("the agent closed the connection between chunks");
            }
            int extension = line.indexOf(';');
            String hex = (extension < 0 ? line : line.substring(0, extension)).strip();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) {
                    throw new NumberFormatException();
                }
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("a chunk size that is no number");
            }
        }

        private void expectLineEnd() throws IOException {
            int end = in.read();
            if (end == '\r') {
                end = in.read();
            }
            if (end != '\n') {
                throw new IOException("a chunk that does not end where its size says");
            }
        }
    }

    /** A body of a known length. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int read = in.read(into, offset, (int) Math.min(length, left));
            if (read > 0) {
                left -= read;
            }
            return read;
        }
    }
}
