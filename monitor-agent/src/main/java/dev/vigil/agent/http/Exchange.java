package dev.vigil.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.vigil.agent.time.Timestamps;

/**
 * One request and its answer. The request side: method, path, query parameters, headers and the body; the
 * answer: either {@link #send} (a whole body) or {@link #stream} (a chunked body written as it comes, for
 * Server-Sent Events and the like).
 */
public final class Exchange {

    private final Request request;
    private final InputStream body;
    private final OutputStream out;
    private final Runnable closeConnection;
    private final List<String> responseHeaders = new ArrayList<>();
    private boolean bodyRequested;
    private boolean sent;
    private boolean closeAfter;
    private StreamedBody streamed;

    Exchange(Request request, InputStream body, OutputStream out, Runnable closeConnection) {
        this.request = request;
        this.body = body;
        this.out = out;
        this.closeConnection = closeConnection;
        this.closeAfter = !request.keepAlive();
    }

    public String method() {
        return request.method();
    }

    /** The path without the query, as sent. */
    public String path() {
        return request.path();
    }

    /** Every value of a query parameter, decoded, in the order sent; empty when it is not there. */
    public List<String> queryAll(String name) {
        return request.query().getOrDefault(name, List.of());
    }

    /** The first value of a request header; names are case-insensitive. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.headers().get(name.toLowerCase(Locale.ROOT))).map(List::getFirst);
    }

    /** The declared length of the body, when the request declares one. */
    public Optional<Long> contentLength() {
        return request.contentLength();
    }

    /** The body, or empty when it is longer than {@code limit} bytes (the rest is then left unread). */
    public Optional<byte[]> body(int limit) throws IOException {
        if (!bodyRequested && request.expectsContinue()) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        bodyRequested = true;
        byte[] bytes = body.readNBytes(limit + 1);
        return bytes.length > limit ? Optional.empty() : Optional.of(bytes);
    }

    /** Adds a header to the answer; call before {@link #send} or {@link #stream}. */
    public Exchange header(String name, String value) {
        if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header with a line break");
        }
        responseHeaders.add(name + ": " + value);
        return this;
    }

    /** Answers with the whole body at once. */
    public void send(Status status, String contentType, byte[] bytes) throws IOException {
        begin();
        out.write(head(status, closeAfter, "Content-Length: " + bytes.length, contentType, responseHeaders));
        out.write(bytes);
        out.flush();
    }

    /**
     * Starts an answer whose body is written as it comes: chunked, each {@code flush()} puts what was written on
     * the wire, {@code close()} ends the answer (the server ends it too when the handler returns). Meant to be
     * held for long: every connection runs on a virtual thread of its own.
     */
    public OutputStream stream(Status status, String contentType) throws IOException {
        begin();
        // An HTTP/1.0 client knows no chunks: its body ends when the connection does.
        closeAfter |= request.http10();
        out.write(head(status, closeAfter, request.http10() ? null : "Transfer-Encoding: chunked", contentType,
                responseHeaders));
        out.flush();
        streamed = new StreamedBody(out, !request.http10());
        return streamed;
    }

    /**
     * Closes the connection at once, from any thread: a handler blocked writing to it gets an {@link IOException}.
     * For a stream whose reader cannot keep up.
     */
    public void closeConnection() {
        closeConnection.run();
    }

    private void begin() {
        if (sent) {
            throw new IllegalStateException("already answered");
        }
        sent = true;
    }

    /** A response head: status line, Date, Connection, the body's framing (if any), Content-Type, the rest. */
    static byte[] head(Status status, boolean close, String framing, String contentType, List<String> headers) {
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(status.code()).append(' ')
                .append(status.reasonPhrase())
                .append("\r\nDate: ").append(Timestamps.imfFixdate(System.currentTimeMillis() / 1000))
                .append(close ? "\r\nConnection: close\r\n" : "\r\nConnection: keep-alive\r\n");
        if (framing != null) {
            head.append(framing).append("\r\n");
        }
        head.append("Content-Type: ").append(contentType).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    boolean sent() {
        return sent;
    }

    boolean bodyRequested() {
        return bodyRequested;
    }

    /** Set before answering: the connection ends with this exchange. */
    void closeAfter() {
        closeAfter = true;
    }

    boolean closesAfter() {
        return closeAfter;
    }

    /** Ends a streamed answer the handler left open. */
    void finish() throws IOException {
        if (streamed != null) {
            streamed.close();
        }
    }

    /** A chunked (HTTP/1.1) or close-delimited (HTTP/1.0) body. */
    private static final class StreamedBody extends OutputStream {
        private final OutputStream out;
        private final boolean chunked;
        private final byte[] buffer = new byte[8192];
        private int count;
        private boolean closed;

        StreamedBody(OutputStream out, boolean chunked) {
            this.out = out;
            this.chunked = chunked;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("the answer is complete");
            }
            while (length > 0) {
                if (count == buffer.length) {
                    writeChunk();
                }
                int n = Math.min(length, buffer.length - count);
                System.arraycopy(bytes, offset, buffer, count, n);
                count += n;
                offset += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            writeChunk();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            writeChunk();
            closed = true;
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }

        private void writeChunk() throws IOException {
            if (count == 0) {
                return;
            }
            if (chunked) {
                out.write((Integer.toHexString(count) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(buffer, 0, count);
            if (chunked) {
                out.write('\r');
                out.write('\n');
            }
            count = 0;
        }
    }
}
