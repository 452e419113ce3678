package dev.vigil.server.store;

import java.io.StringReader;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.vigil.server.model.Role;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * The Telegram bot's settings ({@code telegram_settings}, V9): read once at start, then kept in memory and written
 * through here. The bot token is sealed with the {@link SecretBox} like the agents' tokens; a stored row that
 * cannot be read (or a token sealed with another key) stops the start rather than be taken for "no settings".
 */
public final class TelegramStore {
    /** The settings in force and their last change, none before the first. */
    public record Current(TelegramSettings settings, Optional<Change> change) {
    }

    /** When and by whom the settings were last changed: all that the {@code telegram_changed} event tells. */
    public record Change(Instant at, String by) {
    }

    private final DbClient db;
    private final SecretBox secrets;
    private volatile Current current;

    private TelegramStore(DbClient db, SecretBox secrets, Current current) {
        this.db = db;
        this.secrets = secrets;
        this.current = current;
    }

    public static TelegramStore open(DbClient db, SecretBox secrets) {
        DbRow row = db.execute().namedGet("select-telegram-settings").orElseThrow();
        try {
            TelegramSettings settings = new TelegramSettings(
                    Optional.ofNullable(row.column("token_enc").get(byte[].class)).map(secrets::open),
                    chats(parse(row, "chats")), users(parse(row, "users")),
                    row.column("min_severity").get(String.class),
                    row.column("quiet_non_critical").get(Number.class).intValue() != 0);
            Optional<Change> change = IncidentStore.optionalInstant(row, "updated_at")
                    .map(at -> new Change(at, row.column("updated_by").get(String.class)));
            return new TelegramStore(db, secrets, new Current(settings, change));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the stored Telegram settings cannot be read (" + e.getMessage()
                    + "); fix or reset the row of the telegram_settings table and start again", e);
        }
    }

    public Current current() {
        return current;
    }

    /** Stores the settings (the token sealed), then puts them in force; the time as stored, to the millisecond. */
    public Current write(TelegramSettings next, String by, Instant time) {
        String who = by.length() > 255 ? by.substring(0, 255) : by;
        Instant at = time.truncatedTo(ChronoUnit.MILLIS);
        db.execute().namedUpdate("update-telegram-settings", next.token().map(secrets::seal).orElse(null),
                chatsJson(next.chats()).toString(), usersJson(next.users()).toString(), next.minSeverity(),
                next.quietNonCritical() ? 1 : 0, Timestamp.from(at), who);
        current = new Current(next, Optional.of(new Change(at, who)));
        return current;
    }

    private static JsonArray parse(DbRow row, String column) {
        try (var reader = JSON.createReader(new StringReader(row.column(column).get(String.class)))) {
            return reader.readArray();
        }
    }

    private static List<TelegramSettings.Chat> chats(JsonArray json) {
        return json.getValuesAs(JsonObject.class).stream().map(chat -> new TelegramSettings.Chat(
                chat.getJsonNumber("chat_id").longValueExact(),
                chat.get("topic_id") == null || chat.get("topic_id") == JsonValue.NULL ? Optional.empty()
                        : Optional.of(chat.getJsonNumber("topic_id").intValueExact()))).toList();
    }

    private static List<TelegramSettings.User> users(JsonArray json) {
        return json.getValuesAs(JsonObject.class).stream().map(user -> new TelegramSettings.User(
                user.getJsonNumber("user_id").longValueExact(),
                Role.parse(user.getString("role")).orElseThrow(() -> new IllegalStateException(
                        "a user's role is " + user.getString("role"))))).toList();
    }

    /** The chats as the API shows them and the row stores them: {@code [{"chat_id", "topic_id"|null}]}. */
    public static JsonArray chatsJson(List<TelegramSettings.Chat> chats) {
        JsonArrayBuilder json = JSON.createArrayBuilder();
        chats.forEach(chat -> {
            var item = JSON.createObjectBuilder().add("chat_id", chat.chatId());
            chat.topicId().ifPresentOrElse(topic -> item.add("topic_id", topic), () -> item.addNull("topic_id"));
            json.add(item);
        });
        return json.build();
    }

    /** The users as the API shows them and the row stores them: {@code [{"user_id", "role"}]}. */
    public static JsonArray usersJson(List<TelegramSettings.User> users) {
        JsonArrayBuilder json = JSON.createArrayBuilder();
        users.forEach(user -> json.add(JSON.createObjectBuilder().add("user_id", user.userId())
                .add("role", user.role().json())));
        return json.build();
    }
}
