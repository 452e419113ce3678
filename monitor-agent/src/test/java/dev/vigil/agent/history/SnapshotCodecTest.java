package dev.vigil.agent.history;

import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotCodecTest {
    private static byte[] snapshot(int n, String extra) {
        StringBuilder processes = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            processes.append(i > 0 ? "," : "").append("{\"pid\":").append(1000 + i * n).append(",\"name\":\"proc")
                    .append(i).append("\",\"cpu_percent\":").append(n % 7 + i).append(".5}");
        }
        return ("{\"hostname\":\"web-1\",\"collected_at\":\"t" + n + "\",\"cpu\":{\"percent\":" + n
                + "},\"processes\":{\"top\":[" + processes + "]}" + extra + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static int deflatedLength(byte[] json) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(json);
        deflater.finish();
        byte[] out = new byte[json.length * 2 + 64];
        int length = deflater.deflate(out);
        deflater.end();
        return length;
    }

    @Test
    void everySnapshotInflatesToItsExactBytesAndTheFirstIsTheDictionaryForTheRest() {
        SnapshotCodec codec = new SnapshotCodec();
        byte[] first = snapshot(1, "");
        byte[] later = snapshot(2, ",\"probes\":[{\"name\":\"web\",\"ok\":false,\"error\":\"é ✓\"}]");
        SnapshotHistory.Kept keptFirst = codec.pack(1, first);
        SnapshotHistory.Kept keptLater = codec.pack(2, later);

        assertArrayEquals(first, codec.json(keptFirst));
        assertArrayEquals(later, codec.json(keptLater));
        assertEquals(later.length, keptLater.length());
        int withoutDictionary = deflatedLength(later);
        assertTrue(keptLater.deflated().length < withoutDictionary, keptLater.deflated().length
                + " bytes with the first snapshot as dictionary, " + withoutDictionary + " without");
        assertTrue(keptLater.deflated().length < later.length / 3, keptLater.deflated().length + " of " + later.length);
    }
}
