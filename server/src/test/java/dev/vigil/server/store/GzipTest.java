package dev.vigil.server.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GzipTest {
    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    /** Text like an agent's answer: compressible, but not a single repeated byte. */
    private static byte[] json(SplittableRandom random, int size) {
        StringBuilder text = new StringBuilder(size);
        while (text.length() < size) {
            text.append("{\"pid\":").append(random.nextInt(1, 4_000_000)).append(",\"name\":\"worker-")
                    .append(random.nextInt(100)).append("\",\"cpu_percent\":").append(random.nextDouble(100)).append('}');
        }
        return text.substring(0, size).getBytes();
    }

    @Test
    void whatItCompressesStandardGzipReadsBackByteForByte() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int size : new int[] {0, 1, 100, 4_000, 70_000, 1_000_000}) {
            byte[] data = json(random, size);
            byte[] compressed = Gzip.compress(data);
            assertArrayEquals(data, gunzip(compressed), size + " bytes");
            if (size >= 4_000) {
                assertTrue(compressed.length < data.length / 2, size + " bytes became " + compressed.length);
            }
        }
    }

    @Test
    void reusedDeflatersOnManyThreadsKeepEveryResultApart() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> results = new ArrayList<>();
            for (int task = 0; task < 200; task++) {
                int seed = task;
                results.add(threads.submit(() -> {
                    byte[] data = json(new SplittableRandom(seed), 2_000 + seed * 37);
                    for (int round = 0; round < 20; round++) {
                        assertArrayEquals(data, gunzip(Gzip.compress(data)));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
    }
}
