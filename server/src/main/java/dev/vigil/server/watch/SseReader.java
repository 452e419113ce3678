package dev.vigil.server.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Server-Sent Events frames from a byte stream, as the HTML spec parses them: lines end in LF, CRLF or CR; a line
 * starting with {@code :} is a comment; {@code field: value} (one space after the colon dropped); a blank line
 * dispatches the frame when it has data. Only {@code id}, {@code event} and {@code data} are kept. A line longer
 * than {@code maxLine} bytes, a frame longer than {@code maxFrame} bytes, or bytes that are not UTF-8 are
 * {@link Garbage}: nothing an agent sends.
 */
final class SseReader {
    /** One dispatched frame; {@code id} empty when the frame had no {@code id} field. */
    record Frame(Optional<String> id, String event, String data) {
    }

    /** The stream is not Server-Sent Events as the agent sends them. */
    static final class Garbage extends Exception {
        Garbage(String reason) {
            super(reason, null, false, false);
        }
    }

    private final InputStream in;
    private final int maxLine;
    private final int maxFrame;
    private final byte[] buffer = new byte[1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final Runnable activity;
    private int position;
    private int limit;
    /** The last line ended in CR: an LF right after it belongs to it. */
    private boolean afterCr;

    /** @param activity told whenever bytes arrive (heartbeats included), for the idle watchdog */
    SseReader(InputStream in, int maxLine, int maxFrame, Runnable activity) {
        this.in = in;
        this.maxLine = maxLine;
        this.maxFrame = maxFrame;
        this.activity = activity;
    }

    /** The next frame; empty at the end of the stream (a frame cut off by the end is dropped, as the spec says). */
    Optional<Frame> next() throws IOException, Garbage {
        Optional<String> id = Optional.empty();
        String event = "";
        StringBuilder data = null;
        int frameBytes = 0;
        for (Optional<String> read = readLine(); read.isPresent(); read = readLine()) {
            String text = read.get();
            if (text.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Frame(id, event.isEmpty() ? "message" : event, data.toString()));
                }
                id = Optional.empty();
                event = "";
                frameBytes = 0;
                continue;
            }
            frameBytes += text.length();
            if (frameBytes > maxFrame) {
                throw new Garbage("an event longer than " + maxFrame / 1024 + " KiB");
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + (text.startsWith(" ", colon + 1) ? 2 : 1));
            switch (field) {
                case "id" -> id = value.indexOf('\0') < 0 ? Optional.of(value) : id;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> readLine() throws IOException, Garbage {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit < 0) {
                    limit = 0;
                    return Optional.empty();
                }
                activity.run();
            }
            byte b = buffer[position++];
            if (afterCr && b == '\n') {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                return Optional.of(decode());
            }
            if (line.size() == maxLine) {
                throw new Garbage("a line longer than " + maxLine / 1024 + " KiB");
            }
            line.write(b);
        }
    }

    private String decode() throws Garbage {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Garbage("bytes that are not UTF-8");
        }
    }
}
