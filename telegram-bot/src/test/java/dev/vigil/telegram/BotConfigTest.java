package dev.vigil.telegram;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BotConfigTest {
    private static final String PANEL_TOKEN = "999:" + "P".repeat(35);
    private static final String ENV_TOKEN = "111:" + "E".repeat(35);

    private static BotOptions env(Optional<String> token, Optional<List<ChatTarget>> chats,
                                  Optional<Map<Long, Actor.Role>> users) {
        return new BotOptions("http://127.0.0.1:1", "vgl_x", "http://127.0.0.1:2", token, chats, users, Path.of("d"),
                "test-bot");
    }

    private static BotConfig.Panel panel() {
        JsonObject json = ServerApi.JSON.createReader(new StringReader("""
                {"token_set": true, "token_hint": "…PPPP", "token": "%s",
                 "chats": [{"chat_id": -1001234567890, "topic_id": 42}, {"chat_id": 123456, "topic_id": null}],
                 "users": [{"user_id": 11111, "role": "operator"}, {"user_id": 22222, "role": "viewer"}],
                 "min_severity": "critical", "quiet_non_critical": false, "updated_at": null, "updated_by": null}
                """.formatted(PANEL_TOKEN))).readObject();
        return BotConfig.Panel.from(json);
    }

    @Test
    void thePanelAppliesWhereTheEnvironmentSetsNothing() {
        BotConfig config = BotConfig.merge(env(Optional.empty(), Optional.empty(), Optional.empty()), panel());
        assertEquals(Optional.of(PANEL_TOKEN), config.token());
        assertEquals(List.of(new ChatTarget(-1001234567890L, Optional.of(42)), ChatTarget.of(123456)), config.chats());
        assertEquals(Map.of(11111L, Actor.Role.OPERATOR, 22222L, Actor.Role.VIEWER), config.users());
        assertEquals("critical", config.minSeverity());
        assertEquals(false, config.quietNonCritical());
        assertEquals(List.of(), config.envOverrides());
    }

    @Test
    void theEnvironmentWinsPerField() {
        BotConfig tokenOnly = BotConfig.merge(env(Optional.of(ENV_TOKEN), Optional.empty(), Optional.empty()),
                panel());
        assertEquals(Optional.of(ENV_TOKEN), tokenOnly.token());
        assertEquals(2, tokenOnly.chats().size());
        assertEquals(List.of("token"), tokenOnly.envOverrides());

        BotConfig usersAndChats = BotConfig.merge(env(Optional.empty(), Optional.of(List.of(ChatTarget.of(5))),
                Optional.of(Map.of(7L, Actor.Role.ADMIN))), panel());
        assertEquals(Optional.of(PANEL_TOKEN), usersAndChats.token());
        assertEquals(List.of(ChatTarget.of(5)), usersAndChats.chats());
        assertEquals(Optional.of(Actor.Role.ADMIN), usersAndChats.role(7));
        assertEquals(Optional.empty(), usersAndChats.role(11111));
        assertEquals(List.of("chats", "users"), usersAndChats.envOverrides());
        assertEquals("critical", usersAndChats.minSeverity());
    }

    @Test
    void withoutEitherThereIsNoToken() {
        BotConfig config = BotConfig.merge(env(Optional.empty(), Optional.empty(), Optional.empty()),
                BotConfig.Panel.NONE);
        assertEquals(Optional.empty(), config.token());
        assertEquals(List.of(), config.chats());
        assertEquals(Map.of(), config.users());
    }

    @Test
    void aClearedPanelTokenIsNone() {
        JsonObject json = ServerApi.JSON.createReader(new StringReader("""
                {"token": null, "chats": [], "users": [], "min_severity": "warning", "quiet_non_critical": true}
                """)).readObject();
        assertEquals(Optional.empty(), BotConfig.Panel.from(json).token());
    }

    @Test
    void anAnswerNotShapedAsTheServerValidatesIsRefusedWithWhatIsWrong() {
        Map<String, String> answers = Map.of(
                "{\"users\": []}", "chats is not a list",
                "{\"chats\": [1], \"users\": []}", "chats holds something that is not an object",
                "{\"chats\": [{\"chat_id\": \"x\"}], \"users\": []}", "chat_id is not a whole number",
                "{\"chats\": [{\"chat_id\": 1, \"topic_id\": 99999999999}], \"users\": []}",
                "topic_id is out of range",
                "{\"chats\": [{\"chat_id\": 99999999999999999999999}], \"users\": []}", "chat_id is out of range",
                "{\"chats\": [], \"users\": [{\"user_id\": 1}]}", "role is not text",
                "{\"chats\": [], \"users\": [{\"user_id\": 1, \"role\": \"root\"}]}", "unknown role 'root'",
                "{\"chats\": [], \"users\": [], \"min_severity\": 3}", "min_severity is not text",
                "{\"chats\": [], \"users\": [], \"quiet_non_critical\": \"yes\"}",
                "quiet_non_critical is not true or false");
        answers.forEach((answer, problem) -> {
            JsonObject json = ServerApi.JSON.createReader(new StringReader(answer)).readObject();
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> BotConfig.Panel.from(json), answer);
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains(problem),
                    answer + " → " + refused.getMessage());
        });
    }
}
