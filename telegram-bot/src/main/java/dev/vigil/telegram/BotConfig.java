package dev.vigil.telegram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

        /** From the server's JSON; an entry that is not as the server validates it is an error, not skipped. */
        public static Panel from(JsonObject json) {
            Optional<String> token = json.get("token") instanceof JsonString s && !s.getString().isBlank()
                    ? Optional.of(s.getString()) : Optional.empty();
            List<ChatTarget> chats = new ArrayList<>();
            for (JsonValue chat : json.getJsonArray("chats")) {
                JsonObject c = chat.asJsonObject();
                chats.add(new ChatTarget(c.getJsonNumber("chat_id").longValueExact(),
                        c.get("topic_id") instanceof JsonNumber topic ? Optional.of(topic.intValueExact())
                                : Optional.empty()));
            }
            Map<Long, Actor.Role> users = new LinkedHashMap<>();
            for (JsonValue user : json.getJsonArray("users")) {
                JsonObject u = user.asJsonObject();
                String role = u.getString("role");
                users.put(u.getJsonNumber("user_id").longValueExact(), Actor.Role.parse(role).orElseThrow(
                        () -> new IllegalArgumentException("the panel names an unknown role '" + role + "'")));
            }
            return new Panel(token, List.copyOf(chats), Map.copyOf(users), json.getString("min_severity", "warning"),
                    json.getBoolean("quiet_non_critical", true));
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
