package dev.vigil.telegram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * The bot's inline keyboards and their callback data — made and read only here. Data (at most Telegram's 64
 * bytes): {@code a:<action uuid>} approve, {@code r:<action uuid>} reject, {@code k:<incident id>} acknowledge,
 * {@code m:<host id>} mute the host for 1 h, {@code b:<host id>} confirm a reboot, {@code p:<command>:<page>} a
 * page of a long list (pages count from 1).
 */
public final class Buttons {
    /** What a press asks for; {@code prefix} is its callback data's first letter. */
    public enum Kind {
        APPROVE('a'), REJECT('r'), ACKNOWLEDGE('k'), MUTE('m'), REBOOT('b'), PAGE('p');

        private final char prefix;

        Kind(char prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * A press: the action uuid (approve, reject), incident id (acknowledge), host id (mute, reboot) or
     * {@code <command>:<page>} (page; see {@link #command()} and {@link #page()}).
     */
    public record Press(Kind kind, String id) {
        /** The command of a page press, e.g. {@code actions}. */
        public String command() {
            return id.substring(0, id.lastIndexOf(':'));
        }

        /** The page number (from 1) of a page press. */
        public int page() {
            return Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
        }
    }

    private static final int MAX_DATA_BYTES = 64;
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern COMMAND = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern PAGE = Pattern.compile("(" + COMMAND.pattern() + "):([1-9][0-9]{0,5})");

    private Buttons() {
    }

    /** Approve and reject for an action waiting for approval. */
    public static InlineKeyboardMarkup approval(UUID actionId) {
        return keyboard(button("✅ Approve", Kind.APPROVE, actionId.toString()),
                button("❌ Reject", Kind.REJECT, actionId.toString()));
    }

    /** Acknowledge the incident, and mute its host for an hour. */
    public static InlineKeyboardMarkup incident(long incidentId, long hostId) {
        return keyboard(button("👀 Acknowledge", Kind.ACKNOWLEDGE, Long.toString(incidentId)),
                button("🔕 Mute host 1 h", Kind.MUTE, Long.toString(hostId)));
    }

    /** The confirmation of {@code /reboot}. */
    public static InlineKeyboardMarkup rebootConfirm(long hostId) {
        return keyboard(button("⚠️ Yes, reboot", Kind.REBOOT, Long.toString(hostId)));
    }

    /**
     * Previous and next buttons for page {@code page} of {@code pages} of a command's list ({@code command} as in
     * {@code /actions}, without the slash); none when everything fits on one page.
     */
    public static Optional<InlineKeyboardMarkup> pages(String command, int page, int pages) {
        if (!COMMAND.matcher(command).matches() || page < 1 || page > pages) {
            throw new IllegalArgumentException("no page " + page + " of " + pages + " for " + command);
        }
        List<InlineKeyboardButton> row = new ArrayList<>();
        if (page > 1) {
            row.add(button("◀ " + (page - 1) + "/" + pages, Kind.PAGE, command + ":" + (page - 1)));
        }
        if (page < pages) {
            row.add(button((page + 1) + "/" + pages + " ▶", Kind.PAGE, command + ":" + (page + 1)));
        }
        return row.isEmpty() ? Optional.empty() : Optional.of(keyboard(row.toArray(InlineKeyboardButton[]::new)));
    }

    /** The press that callback data stands for, or empty when it is none of the bot's (stale or forged). */
    public static Optional<Press> parse(String data) {
        if (data == null || data.length() < 3 || data.charAt(1) != ':') {
            return Optional.empty();
        }
        String id = data.substring(2);
        return Arrays.stream(Kind.values())
                .filter(kind -> kind.prefix == data.charAt(0) && valid(kind, id))
                .findFirst()
                .map(kind -> new Press(kind, id));
    }

    private static boolean valid(Kind kind, String id) {
        return switch (kind) {
            case APPROVE, REJECT -> isUuid(id);
            case ACKNOWLEDGE, MUTE, REBOOT -> NUMBER.matcher(id).matches();
            case PAGE -> PAGE.matcher(id).matches();
        };
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static InlineKeyboardButton button(String text, Kind kind, String id) {
        String data = kind.prefix + ":" + id;
        if (data.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("callback data longer than 64 bytes: " + data);
        }
        return InlineKeyboardButton.builder().text(text).callbackData(data).build();
    }

    private static InlineKeyboardMarkup keyboard(InlineKeyboardButton... buttons) {
        return InlineKeyboardMarkup.builder().keyboardRow(new InlineKeyboardRow(buttons)).build();
    }
}
