package dev.vigil.telegram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.settings.Settings;
import dev.vigil.settings.SettingsException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BotOptionsTest {
    static final String TOKEN = "123456:" + "A".repeat(35);

    /** The keys as the environment sets them, over the bot's bundled defaults (not the server's, also on the path). */
    private static Config config(Map<String, String> keys) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(keys))
                .addSource(ConfigSources.file(Path.of("src/main/resources/application.yaml")))
                .build();
    }

    private static BotOptions read(String... keyValues) {
        Map<String, String> keys = new HashMap<>(Map.of("vigil.server.api.token", "vgl_x"));
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return BotOptions.from(config(keys));
    }

    private static String refusal(String... keyValues) {
        return assertThrows(SettingsException.class, () -> read(keyValues)).getMessage();
    }

    @Test
    void defaults() {
        BotOptions options = read();
        assertEquals("http://127.0.0.1:8080", options.serverUrl());
        assertEquals("vgl_x", options.apiToken());
        assertEquals("https://api.telegram.org", options.telegramApiUrl());
        assertEquals(Optional.empty(), options.envToken());
        assertEquals(Optional.empty(), options.envChats());
        assertEquals(Optional.empty(), options.envUsers());
        assertEquals(Path.of("./data").toAbsolutePath().normalize(), options.dataDir());
    }

    @Test
    void theInstanceIdIsGivenOrTheMachinesNameWithARandomSuffix() {
        assertEquals("bot-2.example:1", read("vigil.bot.instance.id", "bot-2.example:1").instanceId());
        String first = read().instanceId();
        assertTrue(first.matches("[A-Za-z0-9._-]{1,100}-[0-9a-f]{1,6}"), first);
        assertTrue(!first.equals(read().instanceId()) || !first.equals(read().instanceId()),
                "two bots on one machine get different names");
        assertEquals("VIGIL_BOT_INSTANCE_ID must be 1 to 128 letters, digits or . _ : @ -",
                refusal("vigil.bot.instance.id", "bot one"));
        assertTrue(refusal("vigil.bot.instance.id", "b".repeat(129)).startsWith("VIGIL_BOT_INSTANCE_ID must be"));
    }

    @Test
    void theApiTokenIsRequired() {
        String message = assertThrows(SettingsException.class, () -> BotOptions.from(config(Map.of()))).getMessage();
        assertTrue(message.startsWith("VIGIL_SERVER_API_TOKEN is not set (nor VIGIL_SERVER_API_TOKEN_FILE)"), message);
    }

    @Test
    void secretsComeFromFiles(@TempDir Path dir) throws Exception {
        Path api = Files.writeString(dir.resolve("api"), "vgl_from_file\n");
        Path bot = Files.writeString(dir.resolve("bot"), TOKEN + "\n");
        BotOptions options = BotOptions.from(config(Map.of("vigil.server.api.token.file", api.toString(),
                "vigil.telegram.token.file", bot.toString())));
        assertEquals("vgl_from_file", options.apiToken());
        assertEquals(Optional.of(TOKEN), options.envToken());
    }

    @Test
    void chatsUsersAndUrls() {
        BotOptions options = read("vigil.telegram.token", TOKEN,
                "vigil.telegram.chats", "-1001234567890:42, 123456",
                "vigil.telegram.users", "11111:operator,22222:admin",
                "vigil.server.url", "http://vigil.example:8080/",
                "vigil.telegram.api.url", "http://127.0.0.1:8081");
        assertEquals(List.of(new ChatTarget(-1001234567890L, Optional.of(42)), ChatTarget.of(123456)),
                options.envChats().orElseThrow());
        assertEquals(Map.of(11111L, Actor.Role.OPERATOR, 22222L, Actor.Role.ADMIN), options.envUsers().orElseThrow());
        assertEquals("http://vigil.example:8080", options.serverUrl());
        assertEquals("127.0.0.1", options.telegramUrl().getHost());
        assertEquals(8081, options.telegramUrl().getPort());
        assertEquals("http", options.telegramUrl().getSchema());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "abc", "12:0", "12:-3", "12:x", "1:2:3", "1000000000000000", "12:2147483648", ","})
    void badChatsAreRefusedByName(String chats) {
        assertTrue(refusal("vigil.telegram.chats", chats).startsWith("VIGIL_TELEGRAM_CHATS "));
    }

    @Test
    void aChatTwiceIsRefused() {
        assertEquals("VIGIL_TELEGRAM_CHATS entry '5:1' is given twice", refusal("vigil.telegram.chats", "5:1,5:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"11111", "11111:root", "0:viewer", "-5:admin", "x:admin", "11111:viewer:x",
            "1000000000000001:viewer", "11111:viewer,11111:admin"})
    void badUsersAreRefusedByName(String users) {
        assertTrue(refusal("vigil.telegram.users", users).startsWith("VIGIL_TELEGRAM_USERS "));
    }

    @Test
    void aMalformedBotTokenIsRefusedWithoutShowingIt() {
        String message = refusal("vigil.telegram.token", "secret-but-wrong");
        assertTrue(message.startsWith("VIGIL_TELEGRAM_TOKEN must be a bot token"), message);
        assertTrue(!message.contains("secret-but-wrong"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "https://api.telegram.org/bot", "http://user@host", "telegram"})
    void badApiUrlsAreRefused(String url) {
        assertTrue(refusal("vigil.telegram.api.url", url).startsWith("VIGIL_TELEGRAM_API_URL must be "));
    }

    @Test
    void unknownVariablesOfTheBotAreNamed() {
        Settings settings = Settings.of(config(Map.of("vigil.server.api.token", "vgl_x")));
        BotOptions.from(settings);
        assertEquals(List.of("VIGIL_TELEGRAM_CHAT"), BotOptions.unknownVariables(settings, Map.of(
                "VIGIL_TELEGRAM_CHAT", "1", "VIGIL_TELEGRAM_TOKEN", "x", "VIGIL_TELEGRAM_JVM_OPTS", "-Xmx1g",
                "VIGIL_SERVER_PORT", "8080", "VIGIL_TELEGRAM_LEASE_TTL", "5s")));
    }
}
