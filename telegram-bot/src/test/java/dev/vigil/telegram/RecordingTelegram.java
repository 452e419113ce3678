package dev.vigil.telegram;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/** A Telegram that records what it is asked; {@code down} makes every call fail as if unreachable. */
final class RecordingTelegram implements Telegram {
    record Call(String kind, long chatId, Optional<Integer> topic, long messageId, String html,
                Optional<InlineKeyboardMarkup> buttons, boolean quiet) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);
    volatile boolean down;

    @Override
    public long send(ChatTarget to, String html, Optional<InlineKeyboardMarkup> buttons, boolean quiet) {
        failIfDown();
        long id = ids.incrementAndGet();
        calls.add(new Call("send", to.chatId(), to.topicId(), id, html, buttons, quiet));
        return id;
    }

    @Override
    public void edit(long chatId, long messageId, String html, Optional<InlineKeyboardMarkup> buttons) {
        failIfDown();
        calls.add(new Call("edit", chatId, Optional.empty(), messageId, html, buttons, false));
    }

    @Override
    public void answer(String callbackQueryId, String text) {
        failIfDown();
        calls.add(new Call("answer", 0, Optional.empty(), 0, text, Optional.empty(), false));
    }

    List<Call> sends() {
        return calls.stream().filter(call -> call.kind().equals("send")).toList();
    }

    /** The toasts of the button presses answered. */
    List<String> answers() {
        return calls.stream().filter(call -> call.kind().equals("answer")).map(Call::html).toList();
    }

    List<Call> edits() {
        return calls.stream().filter(call -> call.kind().equals("edit")).toList();
    }

    private void failIfDown() {
        if (down) {
            throw new Failure(0, "Telegram cannot be reached (test)");
        }
    }
}
