package dev.vigil.telegram;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The notifications the bot owes each chat, kept in a file journal ({@code <data dir>/telegram/outbox.jsonl}) so a
 * restart neither loses nor repeats them: which {@link Note}s exist, which wait for which chat (in order), which
 * Telegram message carries which notes (so a later change edits that message), which messages need an edit, and
 * the id of the last server event handled (where the event stream resumes).
 *
 * <p>The journal is append-only lines of JSON, one per change, each forced to disk before the change takes effect
 * in memory. On open, and when it grows past {@link #COMPACT_AT} bytes, it is rewritten as a snapshot of the state
 * (a temporary file, forced, then renamed over the journal); settled notes older than {@link #RETENTION} whose
 * messages need nothing more are forgotten then. A line that does not parse — the torn last line of a crash —
 * is skipped with a warning.
 *
 * <p>Records: {@code {"t":"cursor","id":n,"at":iso}}; {@code {"t":"note","note":{…},"queue":[chat…]}} (the note
 * is new or changed: the messages carrying it need an edit, and it waits in the queued chats that have not had it);
 * {@code {"t":"sent","chat":…,"msg":id,"keys":[…],"stale":b}} (those notes went out as message {@code msg}:
 * {@code stale} when one changed while it was on its way, so the message needs an edit at once);
 * {@code {"t":"edited","chat":…,"msg":id,"stale":b}}; {@code {"t":"dropped","chat":…,"keys":[…]}} (Telegram
 * refused them for good); and in a snapshot {@code {"t":"chat","chat":…,"pending":[…],"messages":[{"msg","keys"}],
 * "dirty":[…]}}. A chat is {@code {"chat":id,"topic":id|null}}.
 *
 * <p>Delivery is at least once, exactly once but for one window: a message Telegram accepted whose {@code sent}
 * record did not reach the disk (the bot died in the milliseconds between Telegram's answer and the journal's
 * fsync) is sent again after the restart. Every other crash point repeats nothing: what is recorded as sent is
 * never sent again, and what is not recorded was not sent. Edits are idempotent, so a repeated edit is harmless.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    static final long COMPACT_AT = 4L << 20;
    static final Duration RETENTION = Duration.ofDays(14);

    /** What a chat's sender does next: send the waiting notes (as many as fit), or re-render a message. */
    public sealed interface Work {
        ChatTarget chat();
    }

    /** The notes waiting for the chat, oldest first (at least one). */
    public record Send(ChatTarget chat, List<Note> notes) implements Work {
    }

    /** A message whose notes changed since it was sent, with their current versions. */
    public record Edit(ChatTarget chat, long messageId, List<Note> notes) implements Work {
    }

    private static final class Chat {
        final LinkedHashSet<String> pending = new LinkedHashSet<>();
        final Map<Long, List<String>> messages = new LinkedHashMap<>();
        final Map<String, Long> messageOf = new HashMap<>();
        final LinkedHashSet<Long> dirty = new LinkedHashSet<>();

        void carried(long messageId, List<String> keys) {
            messages.put(messageId, List.copyOf(keys));
            keys.forEach(key -> messageOf.put(key, messageId));
        }
    }

    private final Path file;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Note> notes = new LinkedHashMap<>();
    private final Map<ChatTarget, Chat> chats = new LinkedHashMap<>();
    private Optional<Long> cursor = Optional.empty();
    private Optional<Instant> cursorAt = Optional.empty();
    private long sentTotal;
    private FileChannel journal;
    private boolean closed;

    private Outbox(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The outbox of {@code dataDir}: its journal read (or started), then compacted. */
    public static Outbox open(Path dataDir) {
        return open(dataDir, InstantSource.system());
    }

    static Outbox open(Path dataDir, InstantSource clock) {
        Outbox outbox = new Outbox(dataDir.resolve("telegram").resolve("outbox.jsonl"), clock);
        outbox.load();
        return outbox;
    }

    // ---- what the event side asks and records

    /** The id of the last event handled, and when: where the event stream resumes. */
    public Optional<Long> cursor() {
        return locked(() -> cursor);
    }

    public Optional<Instant> cursorAt() {
        return locked(() -> cursorAt);
    }

    public void cursor(long eventId) {
        write(object().add("t", "cursor").add("id", eventId).add("at", clock.instant().toString()).build());
    }

    public Optional<Note> note(String key) {
        return locked(() -> Optional.ofNullable(notes.get(key)));
    }

    /** The notes whose keys start with {@code prefix}, e.g. {@code i:} for every incident's. */
    public List<Note> notes(String prefix) {
        return locked(() -> notes.values().stream().filter(note -> note.key().startsWith(prefix)).toList());
    }

    /**
     * Keeps the new or changed note: every message that carries it gets an edit (a chat where it still waits gets
     * the new text when its turn comes), and each of {@code queueTo} that has not had it gets it.
     */
    public void put(Note note, Collection<ChatTarget> queueTo) {
        JsonArrayBuilder queue = ServerApi.JSON.createArrayBuilder();
        queueTo.forEach(chat -> queue.add(json(chat)));
        write(object().add("t", "note").add("note", json(note)).add("queue", queue).build());
    }

    // ---- what the senders ask and record

    /** The chats that have ever had something queued, in order of their first. */
    public List<ChatTarget> chats() {
        return locked(() -> List.copyOf(chats.keySet()));
    }

    /** What the chat's sender should do next: edits before new messages; empty when nothing waits. */
    public Optional<Work> next(ChatTarget target) {
        return locked(() -> {
            Chat chat = chats.get(target);
            if (chat == null) {
                return Optional.empty();
            }
            if (!chat.dirty.isEmpty()) {
                long messageId = chat.dirty.iterator().next();
                return Optional.of(new Edit(target, messageId, present(chat.messages.get(messageId))));
            }
            List<Note> waiting = present(chat.pending);
            return waiting.isEmpty() ? Optional.empty() : Optional.of(new Send(target, waiting));
        });
    }

    /** Waits at most {@code timeout} for work for the chat (or for the outbox to close). */
    public void await(ChatTarget target, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!closed && nanos > 0 && !hasWork(target)) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code notes} (as rendered) went out to the chat as message {@code messageId}. */
    public void sent(ChatTarget chat, long messageId, List<Note> carried) {
        JsonArrayBuilder keys = ServerApi.JSON.createArrayBuilder();
        carried.forEach(note -> keys.add(note.key()));
        write(object().add("t", "sent").add("chat", json(chat)).add("msg", messageId).add("keys", keys)
                .add("stale", stale(carried)).build());
    }

    /** Message {@code messageId} now shows {@code rendered}; still an edit to make when one changed meanwhile. */
    public void edited(ChatTarget chat, long messageId, List<Note> rendered) {
        write(object().add("t", "edited").add("chat", json(chat)).add("msg", messageId)
                .add("stale", stale(rendered)).build());
    }

    /** Telegram refused these notes for the chat for good: they are no longer owed to it. */
    public void dropped(ChatTarget chat, List<Note> refused) {
        JsonArrayBuilder keys = ServerApi.JSON.createArrayBuilder();
        refused.forEach(note -> keys.add(note.key()));
        write(object().add("t", "dropped").add("chat", json(chat)).add("keys", keys).build());
    }

    /** Notes still owed to some chat, and message edits still to make: what the status report calls pending. */
    public int pending() {
        return locked(() -> chats.values().stream().mapToInt(chat -> chat.pending.size() + chat.dirty.size()).sum());
    }

    /** Whether the note went out to some chat already (so a change to it shows as an edit there). */
    public boolean sentAnywhere(String key) {
        return locked(() -> chats.values().stream().anyMatch(chat -> chat.messageOf.containsKey(key)));
    }

    /** Messages sent since the bot started. */
    public long sentTotal() {
        return locked(() -> sentTotal);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            if (journal != null) {
                journal.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the outbox journal " + file, e);
        } finally {
            lock.unlock();
        }
    }

    // ---- the journal

    private void load() {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                List<String> lines = Files.readString(file, StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank()).toList();
                for (int i = 0; i < lines.size(); i++) {
                    replay(lines.get(i), i + 1, i == lines.size() - 1);
                }
            }
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outbox journal " + file, e);
        }
    }

    private void replay(String line, int number, boolean last) {
        try (var reader = ServerApi.JSON.createReader(new StringReader(line))) {
            apply(reader.readObject());
        } catch (RuntimeException e) {
            LOG.warning(() -> (last ? "The last record of the outbox journal " + file + " is torn (the bot stopped"
                    + " while writing it); skipped: " : "Record " + number + " of the outbox journal " + file
                    + " is damaged; skipped: ") + e.getMessage());
        }
    }

    private void write(JsonObject record) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the outbox is closed");
            }
            ByteBuffer bytes = ByteBuffer.wrap((record + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                journal.write(bytes);
            }
            journal.force(false);
            apply(record);
            if (journal.size() > COMPACT_AT) {
                compact();
            }
            changed.signalAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outbox journal " + file, e);
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites the journal as the state it describes, forgetting what is settled and old. */
    private void compact() throws IOException {
        forgetSettled();
        Path next = file.resolveSibling(file.getFileName() + ".next");
        StringBuilder snapshot = new StringBuilder();
        cursor.ifPresent(id -> snapshot.append(object().add("t", "cursor").add("id", id)
                .add("at", cursorAt.map(Instant::toString).orElse(clock.instant().toString())).build()).append('\n'));
        notes.values().forEach(note -> snapshot.append(object().add("t", "note").add("note", json(note))
                .add("queue", JsonValue.EMPTY_JSON_ARRAY).build()).append('\n'));
        chats.forEach((target, chat) -> snapshot.append(json(target, chat)).append('\n'));
        try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(snapshot.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        if (journal != null) {
            journal.close();
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            LOG.fine(() -> "cannot force the directory " + file.getParent() + ": " + notSupported.getMessage());
        }
        journal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /**
     * Forgets the messages whose notes are all settled and older than the retention and need no edit, then the
     * notes no chat owes and no remembered message carries.
     */
    private void forgetSettled() {
        Instant before = clock.instant().minus(RETENTION);
        Set<String> carried = new HashSet<>();
        for (Chat chat : chats.values()) {
            chat.messages.entrySet().removeIf(message -> {
                boolean old = !chat.dirty.contains(message.getKey()) && message.getValue().stream()
                        .map(notes::get).allMatch(note -> note == null || note.settled()
                                && note.createdAt().isBefore(before));
                if (old) {
                    message.getValue().forEach(chat.messageOf::remove);
                }
                return old;
            });
            chat.messages.values().forEach(carried::addAll);
            carried.addAll(chat.pending);
        }
        notes.values().removeIf(note -> note.settled() && note.createdAt().isBefore(before)
                && !carried.contains(note.key()));
    }

    // ---- applying records (live and on replay alike)

    private void apply(JsonObject record) {
        switch (record.getString("t")) {
            case "cursor" -> {
                cursor = Optional.of(record.getJsonNumber("id").longValueExact());
                cursorAt = Optional.of(Instant.parse(record.getString("at")));
            }
            case "note" -> {
                Note note = note(record.getJsonObject("note"));
                notes.put(note.key(), note);
                chats.values().forEach(chat -> Optional.ofNullable(chat.messageOf.get(note.key()))
                        .ifPresent(chat.dirty::add));
                for (JsonValue target : record.getJsonArray("queue")) {
                    Chat chat = chats.computeIfAbsent(chat(target.asJsonObject()), any -> new Chat());
                    if (!chat.messageOf.containsKey(note.key())) {
                        chat.pending.add(note.key());
                    }
                }
            }
            case "sent" -> {
                Chat chat = chats.computeIfAbsent(chat(record.getJsonObject("chat")), any -> new Chat());
                long messageId = record.getJsonNumber("msg").longValueExact();
                List<String> keys = strings(record.getJsonArray("keys"));
                keys.forEach(chat.pending::remove);
                chat.carried(messageId, keys);
                if (record.getBoolean("stale")) {
                    chat.dirty.add(messageId);
                }
                sentTotal++;
            }
            case "edited" -> Optional.ofNullable(chats.get(chat(record.getJsonObject("chat")))).ifPresent(chat -> {
                long messageId = record.getJsonNumber("msg").longValueExact();
                chat.dirty.remove(messageId);
                if (record.getBoolean("stale")) {
                    chat.dirty.add(messageId);
                }
            });
            case "dropped" -> Optional.ofNullable(chats.get(chat(record.getJsonObject("chat"))))
                    .ifPresent(chat -> strings(record.getJsonArray("keys")).forEach(chat.pending::remove));
            case "chat" -> {
                Chat chat = new Chat();
                chat.pending.addAll(strings(record.getJsonArray("pending")));
                record.getJsonArray("messages").forEach(message -> chat.carried(
                        message.asJsonObject().getJsonNumber("msg").longValueExact(),
                        strings(message.asJsonObject().getJsonArray("keys"))));
                record.getJsonArray("dirty").forEach(id -> chat.dirty.add(((JsonNumber) id)
                        .longValueExact()));
                chats.put(chat(record.getJsonObject("chat")), chat);
            }
            default -> throw new IllegalArgumentException("unknown record " + record.getString("t"));
        }
    }

    private boolean hasWork(ChatTarget target) {
        Chat chat = chats.get(target);
        return chat != null && (!chat.dirty.isEmpty() || !chat.pending.isEmpty());
    }

    private List<Note> present(Collection<String> keys) {
        return keys.stream().map(notes::get).filter(Objects::nonNull).toList();
    }

    private boolean stale(List<Note> rendered) {
        return locked(() -> rendered.stream().anyMatch(note -> notes.containsKey(note.key())
                && notes.get(note.key()).version() != note.version()));
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // ---- JSON forms

    private static JsonObjectBuilder object() {
        return ServerApi.JSON.createObjectBuilder();
    }

    private static JsonObject json(ChatTarget chat) {
        JsonObjectBuilder json = object().add("chat", chat.chatId());
        chat.topicId().ifPresentOrElse(topic -> json.add("topic", topic), () -> json.addNull("topic"));
        return json.build();
    }

    private static ChatTarget chat(JsonObject json) {
        return new ChatTarget(json.getJsonNumber("chat").longValueExact(), json.isNull("topic") ? Optional.empty()
                : Optional.of(json.getInt("topic")));
    }

    private static JsonObject json(ChatTarget target, Chat chat) {
        JsonArrayBuilder messages = ServerApi.JSON.createArrayBuilder();
        chat.messages.forEach((id, keys) -> messages.add(object().add("msg", id)
                .add("keys", ServerApi.JSON.createArrayBuilder(keys))));
        return object().add("t", "chat").add("chat", json(target))
                .add("pending", ServerApi.JSON.createArrayBuilder(chat.pending))
                .add("messages", messages)
                .add("dirty", ServerApi.JSON.createArrayBuilder(chat.dirty)).build();
    }

    private static JsonObject json(Note note) {
        JsonObjectBuilder facts = object();
        note.facts().forEach(facts::add);
        return object().add("key", note.key()).add("version", note.version()).add("line", note.line())
                .add("detail", note.detail()).add("buttons", note.buttons()).add("loud", note.loud())
                .add("alone", note.alone()).add("settled", note.settled())
                .add("created_at", note.createdAt().toString()).add("facts", facts).build();
    }

    private static Note note(JsonObject json) {
        Map<String, String> facts = new HashMap<>();
        json.getJsonObject("facts").forEach((name, value) -> facts.put(name, ((JsonString) value).getString()));
        return new Note(json.getString("key"), json.getInt("version"), json.getString("line"),
                json.getString("detail"), json.getString("buttons"), json.getBoolean("loud"),
                json.getBoolean("alone"), json.getBoolean("settled"), Instant.parse(json.getString("created_at")),
                facts);
    }

    private static List<String> strings(JsonArray array) {
        List<String> strings = new ArrayList<>(array.size());
        array.forEach(value -> strings.add(((JsonString) value).getString()));
        return strings;
    }
}
