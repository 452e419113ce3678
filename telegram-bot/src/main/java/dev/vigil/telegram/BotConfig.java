package dev.vigil.telegram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The configuration in force: the environment's ({@link BotOptions}) over the admin panel's
 * ({@code GET /api/v1/telegram/config}), field by field.
 *
 * @param token            the bot token, or empty: the bot waits for one
 * @param chats            where notifications and the panel's requests go
 * @param users            the Telegram users allowed, with their roles; anyone else is refused
 * @param minSeverity      the least severity notified: {@code info}, {@code warning} or {@code critical}
 * @param quietNonCritical non-critical notifications without a sound
 * @param envOverrides     the fields the environment set ({@code token}, {@code chats}, {@code users}), as reported
 */
public record BotConfig(Optional<String> token,
                        List<ChatTarget> chats,
                        Map<Long, Actor.Role> users,
                        String minSeverity,
                        boolean quietNonCritical,
                        List<String> envOverrides) {

    /** The panel's settings: what {@code GET /api/v1/telegram/config} answers, or nothing yet. */
    public record Panel(Optional<String> token, List<ChatTarget> chats, Map<Long, Actor.Role> users,
                        String minSeverity, boolean quietNonCritical) {
        /** Before the panel is read (or while the server cannot be reached): nothing set. */
        public static final Panel NONE = new Panel(Optional.empty(), List.of(), Map.of(), "warning", true);

        /**
         * From the server's JSON; an entry that is not as the server validates it is an
         * {@link IllegalArgumentException} naming what is wrong, not skipped.
         */
        public static Panel from(JsonObject json) {
            Optional<String> token = json.get("token") instanceof JsonString s && !s.getString().isBlank()
                    ? Optional.of(s.getString()) : Optional.empty();
            List<ChatTarget> chats = new ArrayList<>();
            for (JsonObject chat : objects(json, "chats")) {
                chats.add(new ChatTarget(whole(chat, "chat_id"), chat.get("topic_id") instanceof JsonNumber
                        ? Optional.of(integer(chat, "topic_id")) : Optional.empty()));
            }
            Map<Long, Actor.Role> users = new LinkedHashMap<>();
            for (JsonObject user : objects(json, "users")) {
                String role = text(user, "role");
                users.put(whole(user, "user_id"), Actor.Role.parse(role).orElseThrow(
                        () -> new IllegalArgumentException("the panel names an unknown role '" + role + "'")));
            }
            if (json.containsKey("quiet_non_critical") && !(json.get("quiet_non_critical") instanceof JsonValue v
                    && (v == JsonValue.TRUE || v == JsonValue.FALSE))) {
                throw notAsExpected("quiet_non_critical is not true or false");
            }
            String minSeverity = json.containsKey("min_severity") ? text(json, "min_severity") : "warning";
            return new Panel(token, List.copyOf(chats), Map.copyOf(users), minSeverity,
                    json.getBoolean("quiet_non_critical", true));
        }

        private static List<JsonObject> objects(JsonObject json, String key) {
            if (!(json.get(key) instanceof JsonArray array)) {
                throw notAsExpected(key + " is not a list");
            }
            List<JsonObject> objects = new ArrayList<>();
            for (JsonValue value : array) {
                if (!(value instanceof JsonObject object)) {
                    throw notAsExpected(key + " holds something that is not an object");
                }
                objects.add(object);
            }
            return objects;
        }

        private static long whole(JsonObject json, String key) {
            if (json.get(key) instanceof JsonNumber number && number.isIntegral()) {
                try {
                    return number.longValueExact();
                } catch (ArithmeticException tooLarge) {
                    throw notAsExpected(key + " is out of range");
                }
            }
            throw notAsExpected(key + " is not a whole number");
        }

        private static int integer(JsonObject json, String key) {
            long value = whole(json, key);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw notAsExpected(key + " is out of range");
            }
            return (int) value;
        }

        private static String text(JsonObject json, String key) {
            if (json.get(key) instanceof JsonString string) {
                return string.getString();
            }
            throw notAsExpected(key + " is not text");
        }

        private static IllegalArgumentException notAsExpected(String what) {
            return new IllegalArgumentException("the panel's settings are not as expected: " + what);
        }
    }

    /** The environment wins per field: a token, chat list or user list set there replaces the panel's. */
    public static BotConfig merge(BotOptions env, Panel panel) {
        List<String> overrides = new ArrayList<>();
        env.envToken().ifPresent(t -> overrides.add("token"));
        env.envChats().ifPresent(c -> overrides.add("chats"));
        env.envUsers().ifPresent(u -> overrides.add("users"));
        return new BotConfig(env.envToken().or(panel::token), env.envChats().orElse(panel.chats()),
                env.envUsers().orElse(panel.users()), panel.minSeverity(), panel.quietNonCritical(),
                List.copyOf(overrides));
    }

    /** What the notifications need of it. */
    public Notifications.Delivery delivery() {
        return new Notifications.Delivery(chats, minSeverity, quietNonCritical);
    }

    /** The role of a Telegram user, or empty for a stranger. */
    public Optional<Actor.Role> role(long userId) {
        return Optional.ofNullable(users.get(userId));
    }
}
