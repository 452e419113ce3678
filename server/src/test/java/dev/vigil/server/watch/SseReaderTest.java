package dev.vigil.server.watch;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Frames as the HTML spec reads them, within the limits. */
class SseReaderTest {
    private static List<SseReader.Frame> frames(byte[] bytes) throws Exception {
        SseReader reader = new SseReader(new ByteArrayInputStream(bytes), 64, 128, () -> { });
        List<SseReader.Frame> all = new ArrayList<>();
        for (Optional<SseReader.Frame> frame = reader.next(); frame.isPresent(); frame = reader.next()) {
            all.add(frame.get());
        }
        return all;
    }

    private static List<SseReader.Frame> frames(String text) throws Exception {
        return frames(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fieldsCommentsAndLineEndsOfEveryKind() throws Exception {
        assertEquals(List.of(
                        new SseReader.Frame(Optional.of("1-1"), "unit", "{\"a\":1}"),
                        new SseReader.Frame(Optional.empty(), "message", "one\ntwo"),
                        new SseReader.Frame(Optional.of("1-2"), "probe", "x")),
                frames(": heartbeat\n\nid: 1-1\nevent: unit\ndata: {\"a\":1}\n\n"
                        + "data:one\r\ndata: two\r\nretry: 5\r\nunknown: field\r\n\r\n"
                        + "id:1-2\revent:probe\rdata:x\r\r"
                        + "event: cut off by the end\ndata: y\n"));
    }

    @Test
    void aFrameWithoutDataIsNoEvent() throws Exception {
        assertEquals(List.of(), frames("event: unit\nid: 3\n\n: only a comment\n\n"));
    }

    @Test
    void tooLongLinesAndFramesAndBytesThatAreNotUtf8AreGarbage() {
        assertThrows(SseReader.Garbage.class, () -> frames("data: " + "x".repeat(64) + "\n\n"));
        assertThrows(SseReader.Garbage.class, () -> frames(("data: " + "x".repeat(40) + "\n").repeat(4) + "\n"));
        assertThrows(SseReader.Garbage.class, () -> frames(new byte[] {'d', 'a', 't', 'a', ':', (byte) 0xC3, '\n',
                '\n'}));
    }
}
