package dev.vigil.agent.http;

import java.io.IOException;
import java.io.InputStream;

/** A request's body as sent: a fixed length or chunks, at most {@code limit} bytes in all. */
final class RequestBody extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private final long limit;
    private long remaining;
    private long total;
    private boolean done;

    private RequestBody(InputStream in, boolean chunked, long length, long limit) {
        this.in = in;
        this.chunked = chunked;
        this.limit = limit;
        this.remaining = length;
        this.done = !chunked && length == 0;
    }

    static RequestBody of(Request request, InputStream in, long limit) {
        return request.chunked()
                ? new RequestBody(in, true, 0, limit)
                : new RequestBody(in, false, request.contentLength().orElse(0L), limit);
    }

    /** The body is too large for the server: the connection cannot go on. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the body is too large", null);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (done || (remaining == 0 && !nextChunk())) {
            return -1;
        }
        int n = in.read(bytes, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new IOException("the request ended inside its body");
        }
        remaining -= n;
        if (remaining == 0 && !chunked) {
            done = true;
        } else if (remaining == 0) {
            crlf();
        }
        return n;
    }

    /** Reads the next chunk's size; false at the last chunk (its trailers are skipped). */
    private boolean nextChunk() throws IOException {
        if (!chunked) {
            return false;
        }
        String line = line();
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IOException("malformed chunk size");
        }
        remaining = Long.parseLong(hex, 16);
        if (remaining == 0) {
            while (!line().isEmpty()) {
                // trailers: nothing the agent reads
            }
            done = true;
            return false;
        }
        total += remaining;
        if (total > limit) {
            throw new TooLarge();
        }
        return true;
    }

    private void crlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new IOException("malformed chunk end");
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0 || line.length() > 1024) {
                throw new IOException("malformed chunk line");
            }
            line.append((char) b);
        }
        if (in.read() != '\n') {
            throw new IOException("malformed chunk line");
        }
        return line.toString();
    }

    /** Reads what is left, up to the limit; true when the body ended, so the connection can carry the next request. */
    boolean drain() {
        try {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
