package dev.vigil.agent.act;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

/**
 * {@code actions.jsonl} in the state directory: one JSON line when an action starts and one with its result,
 * each forced to disk before the agent goes on, so that an id is never run twice — not even across a restart
 * of the agent. An id that started and has no result was cut short by the agent stopping; it is answered
 * {@code failed} and not run again. On opening, the file is rewritten with the last {@value #KEPT_RESULTS}
 * results only.
 */
final class ActionJournal implements AutoCloseable {
    static final String FILE_NAME = "actions.jsonl";
    static final int KEPT_RESULTS = 10_000;
    static final String CUT_SHORT = "the agent stopped while running this action; it is not run again";
    private static final Logger LOG = Logger.getLogger(ActionJournal.class.getName());

    private final Path file;
    private final FileChannel channel;
    private final Map<UUID, ActionResult> results;

    private ActionJournal(Path file, FileChannel channel, Map<UUID, ActionResult> results) {
        this.file = file;
        this.channel = channel;
        this.results = results;
    }

    /** Loads the journal in {@code dir} (creating both if absent), compacts it and opens it for appending. */
    static ActionJournal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        Map<UUID, JsonObject> kept = load(file);
        Path next = dir.resolve(FILE_NAME + ".new");
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (JsonObject line : kept.values()) {
                write(out, line);
            }
            out.force(true);
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        Map<UUID, ActionResult> results = new LinkedHashMap<>();
        kept.forEach((id, line) -> results.put(id, result(id, line)));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new ActionJournal(file, channel, results);
    }

    /** The last results by id, oldest first; started actions without a result are failed ones now. */
    private static Map<UUID, JsonObject> load(Path file) throws IOException {
        Map<UUID, JsonObject> finished = new LinkedHashMap<>();
        Map<UUID, JsonObject> started = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return finished;
        }
        int unreadable = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (text.isBlank()) {
                continue;
            }
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                JsonObject line = reader.readObject();
                UUID id = UUID.fromString(line.getString("id"));
                if (line.containsKey("status")) {
                    result(id, line);
                    started.remove(id);
                    finished.remove(id);
                    finished.put(id, line);
                } else if (line.containsKey("started_at")) {
                    started.put(id, line);
                } else {
                    unreadable++;
                }
            } catch (JsonException | IllegalArgumentException | NullPointerException | ClassCastException e) {
                // Jakarta JSON reports a missing member with NullPointerException, a mistyped one with
                // ClassCastException; a bad UUID or status is an IllegalArgumentException.
                unreadable++;
            }
        }
        if (unreadable > 0) {
            LOG.warning(unreadable + " unreadable line(s) in " + file + " skipped");
        }
        started.forEach((id, line) -> finished.put(id, Json.createObjectBuilder(line)
                .add("status", ActionStatus.FAILED.json())
                .add("detail", CUT_SHORT)
                .add("finished_at", Instant.now().toString())
                .build()));
        List<UUID> ids = new ArrayList<>(finished.keySet());
        ids.subList(0, Math.max(0, ids.size() - KEPT_RESULTS)).forEach(finished::remove);
        return finished;
    }

    private static ActionResult result(UUID id, JsonObject line) {
        return new ActionResult(id, ActionStatus.fromJson(line.getString("status")), line.getString("detail"), false);
    }

    /** The results loaded at start: each one is answered again, never run again. */
    Map<UUID, ActionResult> results() {
        return results;
    }

    Path file() {
        return file;
    }

    synchronized void started(ActionRequest request, Instant at) throws IOException {
        write(channel, entry(request).add("started_at", at.toString()).build());
        channel.force(true);
    }

    synchronized void finished(ActionRequest request, ActionResult result, Instant at) throws IOException {
        write(channel, entry(request)
                .add("status", result.status().json())
                .add("detail", result.detail())
                .add("finished_at", at.toString())
                .build());
        channel.force(true);
    }

    private static JsonObjectBuilder entry(ActionRequest request) {
        return Json.createObjectBuilder()
                .add("id", request.id().toString())
                .add("type", request.type())
                .add("target", request.target());
    }

    private static void write(FileChannel channel, JsonObject line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warning("Closing " + file + ": " + e.getMessage());
        }
    }
}
