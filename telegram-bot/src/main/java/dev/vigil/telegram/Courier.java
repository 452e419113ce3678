package dev.vigil.telegram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * Sends the outbox, one virtual thread per chat so each chat waits only for its own limits. When a chat's turn
 * comes, everything waiting for it goes out as one message (as much as fits in Telegram's 4,096 characters, cut on
 * line boundaries; the rest goes next turn) and edits go before new messages. A note alone in its message shows in
 * full with its buttons; in a shared one as a line. Telegram unreachable or overloaded: the same work is tried
 * again after a pause; refused for good (the bot left the chat, …): the notes are dropped for that chat, logged.
 */
final class Courier implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Courier.class.getName());
    static final int MAX_MESSAGE = 4096;
    /** Room left per line for the line to grow in an edit ({@code · acknowledged}). */
    private static final int GROWTH = 16;
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final Telegram telegram;
    private final Outbox outbox;
    private final BooleanSupplier quietNonCritical;
    private final Duration retryPause;
    private final Set<ChatTarget> served = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean started;
    private volatile boolean closed;

    Courier(Telegram telegram, Outbox outbox, BooleanSupplier quietNonCritical, Duration retryPause) {
        this.telegram = telegram;
        this.outbox = outbox;
        this.quietNonCritical = quietNonCritical;
        this.retryPause = retryPause;
    }

    void start() {
        started = true;
        serve(outbox.chats());
    }

    /** Makes sure each chat has its sender. */
    void serve(List<ChatTarget> chats) {
        if (!started || closed) {
            return;
        }
        for (ChatTarget chat : chats) {
            if (served.add(chat)) {
                synchronized (threads) {
                    threads.add(Thread.ofVirtual().name("telegram-courier-" + chat.chatId())
                            .start(() -> run(chat)));
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                try {
                    thread.join(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run(ChatTarget chat) {
        try {
            while (!closed) {
                Optional<Outbox.Work> work = outbox.next(chat);
                if (work.isEmpty()) {
                    outbox.await(chat, IDLE);
                } else if (!deliver(work.get())) {
                    Thread.sleep(retryPause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.SEVERE, "The sender for chat " + chat.chatId() + " stopped", e);
            }
        } finally {
            served.remove(chat);
        }
    }

    /** Does the work; false when Telegram could not be reached and it should be tried again later. */
    private boolean deliver(Outbox.Work work) {
        List<Note> notes = switch (work) {
            case Outbox.Send send -> first(send.notes());
            case Outbox.Edit edit -> edit.notes();
        };
        String html = render(notes);
        Optional<InlineKeyboardMarkup> buttons = notes.size() == 1 ? notes.get(0).keyboard() : Optional.empty();
        try {
            switch (work) {
                case Outbox.Send send -> {
                    boolean quiet = quietNonCritical.getAsBoolean() && notes.stream().noneMatch(Note::loud);
                    long messageId = telegram.send(send.chat(), html, buttons, quiet);
                    outbox.sent(send.chat(), messageId, notes);
                }
                case Outbox.Edit edit -> {
                    telegram.edit(edit.chat().chatId(), edit.messageId(), html, buttons);
                    outbox.edited(edit.chat(), edit.messageId(), notes);
                }
            }
            return true;
        } catch (Telegram.Failure failure) {
            if (failure.retryable()) {
                LOG.warning(() -> "Telegram is not taking messages for chat " + work.chat().chatId() + ": "
                        + failure.getMessage() + "; trying again in " + retryPause.toSeconds() + " s");
                return false;
            }
            LOG.warning(() -> "Telegram refused " + (work instanceof Outbox.Send ? "a message" : "an edit")
                    + " for chat " + work.chat().chatId() + " (" + notes.stream().map(Note::key)
                    .collect(Collectors.joining(", ")) + "); giving it up: " + failure.getMessage());
            switch (work) {
                case Outbox.Send send -> outbox.dropped(send.chat(), notes);
                case Outbox.Edit edit -> outbox.edited(edit.chat(), edit.messageId(), List.of());
            }
            return true;
        }
    }

    /** The waiting notes that go out in the next message: an approval alone, else as many lines as fit. */
    static List<Note> first(List<Note> waiting) {
        if (waiting.get(0).alone()) {
            return List.of(waiting.get(0));
        }
        List<Note> take = new ArrayList<>();
        int length = 0;
        for (Note note : waiting) {
            int more = note.line().length() + GROWTH + (take.isEmpty() ? 0 : 1);
            if (note.alone() || !take.isEmpty() && length + more > MAX_MESSAGE) {
                break;
            }
            take.add(note);
            length += more;
        }
        return take;
    }

    /** The message text for these notes: the one in full, or a line each (cut at a line, should edits outgrow it). */
    static String render(List<Note> notes) {
        if (notes.size() == 1) {
            return cut(notes.get(0).detail());
        }
        StringBuilder text = new StringBuilder();
        for (Note note : notes) {
            if (text.length() + 1 + note.line().length() > MAX_MESSAGE) {
                break;
            }
            text.append(text.isEmpty() ? "" : "\n").append(note.line());
        }
        return text.toString();
    }

    private static String cut(String html) {
        return html.length() <= MAX_MESSAGE ? html : html.substring(0, html.lastIndexOf('\n', MAX_MESSAGE));
    }
}
