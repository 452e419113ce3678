package dev.vigil.agent.history;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

/**
 * The history on disk: one snapshot's JSON per line, in the order taken. Appended to per sample, and rewritten
 * to the kept window when it has grown past twice that (at least {@link #MIN_COMPACT}), so it stays bounded.
 */
final class HistoryFile implements AutoCloseable {
    static final long MIN_COMPACT = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(HistoryFile.class.getName());
    private static final byte[] NEWLINE = {'\n'};

    private final Path path;
    private FileChannel channel;
    private long size;
    private boolean failing;

    private HistoryFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Hands every snapshot line of {@code path} to {@code keep}, in file order; a missing file holds none. A line
     * that is no snapshot (a write cut short by a crash, garbage, one longer than {@code maxLine}) is skipped, and
     * the skipped lines are counted in one log line.
     */
    static void read(Path path, long maxLine, ObjLongConsumer<byte[]> keep) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        int skipped = 0;
        try (InputStream in = Files.newInputStream(path)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                int start = 0;
                for (int i = 0; i <= n; i++) {
                    if (i < n && buffer[i] != '\n') {
                        continue;
                    }
                    tooLong = tooLong || line.size() + (i - start) > maxLine;
                    if (!tooLong) {
                        line.write(buffer, start, i - start);
                    }
                    if (i < n) {
                        skipped += take(line.toByteArray(), tooLong, keep);
                        line.reset();
                        tooLong = false;
                    }
                    start = i + 1;
                }
            }
            skipped += take(line.toByteArray(), tooLong, keep);
        }
        if (skipped > 0) {
            LOG.warning(skipped + " line(s) of " + path + " skipped: not a whole snapshot (a write cut short by a"
                    + " crash, or not written by the agent)");
        }
    }

    /** 1 when the line is skipped, else 0; an empty line is nothing to skip. */
    private static int take(byte[] line, boolean tooLong, ObjLongConsumer<byte[]> keep) {
        if (line.length == 0 && !tooLong) {
            return 0;
        }
        OptionalLong collected = tooLong ? OptionalLong.empty() : collectedMillis(line);
        collected.ifPresent(millis -> keep.accept(line, millis));
        return collected.isPresent() ? 0 : 1;
    }

    /** When the snapshot of this line was collected; empty when the line is no whole snapshot. */
    private static OptionalLong collectedMillis(byte[] line) {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line));
            try (JsonReader reader = Json.createReader(new StringReader(text.toString()))) {
                JsonObject object = reader.readObject();
                if (line[line.length - 1] == '}' && object.get("collected_at") instanceof JsonString at) {
                    return OptionalLong.of(Instant.parse(at.getString()).toEpochMilli());
                }
                return OptionalLong.empty();
            }
        } catch (CharacterCodingException | JsonException | DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    /** Writes {@code window} to {@code path} in place of what it held, and opens it for appending. */
    static HistoryFile create(Path path, List<byte[]> window) throws IOException {
        return new HistoryFile(path, replace(path, window), lines(window));
    }

    /**
     * The new file is forced to disk before it takes the old one's name, so a crash never leaves an empty
     * history; the old channel stays the one appended to until the new one is in place.
     */
    private static FileChannel replace(Path path, List<byte[]> window) throws IOException {
        Path next = path.resolveSibling(path.getFileName() + ".new");
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] json : window) {
                write(out, json);
            }
            out.force(true);
        }
        Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static long lines(List<byte[]> window) {
        return window.stream().mapToLong(HistoryFile::line).sum();
    }

    private static long line(byte[] json) {
        return json.length + 1L;
    }

    private static void write(FileChannel out, byte[] json) throws IOException {
        ByteBuffer[] line = {ByteBuffer.wrap(json), ByteBuffer.wrap(NEWLINE)};
        while (line[1].hasRemaining()) {
            out.write(line);
        }
    }

    /**
     * Appends one snapshot, or rewrites the file to {@code window} when it has grown past twice
     * {@code windowLines} bytes, or after a failed write (which may have left half a line). Not forced to disk:
     * a power cut losing the last seconds of history costs nothing that matters, a sync every sample would
     * cost the disk. A failure is logged once; the history in memory goes on.
     */
    void append(byte[] json, long windowLines, Supplier<List<byte[]>> window) {
        try {
            if (failing || size + line(json) > Math.max(2 * windowLines, MIN_COMPACT)) {
                List<byte[]> kept = window.get();
                FileChannel previous = channel;
                channel = replace(path, kept);
                size = lines(kept);
                previous.close();
            } else {
                write(channel, json);
                size += line(json);
            }
            if (failing) {
                failing = false;
                LOG.info("History file " + path + " is written again");
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                LOG.warning("Cannot write the history file " + path + " (" + reason(e) + "); the history is kept"
                        + " in memory until it can be written again");
            }
        }
    }

    /** An I/O failure in a few words, for a log line or a start refusal. */
    static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException denied -> "permission denied (" + denied.getFile() + ")";
            case NoSuchFileException missing -> "no such directory for " + missing.getFile();
            case FileSystemException other when other.getReason() != null -> other.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warning("Cannot close the history file " + path + ": " + reason(e));
        }
    }
}
