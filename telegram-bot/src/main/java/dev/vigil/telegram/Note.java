package dev.vigil.telegram;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/**
 * One notification as the outbox keeps it: about one incident ({@code i:<id>}), its escalation
 * ({@code x:<id>:<severity>}), an action waiting for approval ({@code a:<uuid>}) or an action's result
 * ({@code f:<uuid>}). Its text changes as its subject does ({@code version} counts the changes); every message
 * that carries it is then edited.
 *
 * @param line     its HTML as one line of a message that carries several notifications
 * @param detail   its HTML when it is a message's only one
 * @param buttons  {@code incident:<incident id>:<host id>}, {@code approval:<action uuid>} or empty: the inline
 *                 keyboard it carries when alone in its message
 * @param loud     sent with a notification sound even when non-critical ones are quiet
 * @param alone    never shares a message (approvals: their buttons must be one tap away)
 * @param settled  nothing will change it any more (resolved, decided, a result): the outbox may forget it
 * @param facts    what {@link Notifications} remembers of its subject (severity, state, ids)
 */
public record Note(String key, int version, String line, String detail, String buttons, boolean loud,
                   boolean alone, boolean settled, Instant createdAt, Map<String, String> facts) {
    public Note {
        facts = Map.copyOf(facts);
    }

    /** The inline keyboard this note carries when it is alone in its message. */
    public Optional<InlineKeyboardMarkup> keyboard() {
        String[] parts = buttons.split(":");
        return switch (parts[0]) {
            case "incident" -> Optional.of(Buttons.incident(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
            case "approval" -> Optional.of(Buttons.approval(UUID.fromString(parts[1])));
            default -> Optional.empty();
        };
    }

    /** The same note with new text, buttons and facts, one version later. */
    public Note next(String line, String detail, String buttons, boolean loud, boolean settled,
                     Map<String, String> facts) {
        return new Note(key, version + 1, line, detail, buttons, loud, alone, settled, createdAt, facts);
    }
}
