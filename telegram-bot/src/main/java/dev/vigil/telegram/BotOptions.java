package dev.vigil.telegram;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import dev.vigil.settings.Settings;
import dev.vigil.settings.SettingsException;
import io.helidon.config.Config;
import org.telegram.telegrambots.meta.TelegramUrl;

/**
 * The bot's settings from the environment (or the same keys in a YAML file), read strictly through {@link Settings}:
 * {@code VIGIL_TELEGRAM_CHATS} is the key {@code vigil.telegram.chats}. The {@code env…} fields, when set, win over
 * the admin panel's settings of the same name ({@link BotConfig#merge}).
 *
 * @param serverUrl      the Vigil server, {@code http://127.0.0.1:8080}
 * @param apiToken       the bot's admin API token on that server
 * @param telegramApiUrl the Bot API, {@code https://api.telegram.org} (or a local Bot API server, or a test's stand-in)
 * @param envToken       the bot token from the environment
 * @param envChats       the notification chats from the environment
 * @param envUsers       the allowed Telegram users and their roles from the environment
 * @param dataDir        where the bot keeps its state ({@code telegram/outbox})
 * @param instanceId     this bot process's name among the bots of one Vigil cluster, as it claims the poller lease
 *                       ({@code VIGIL_BOT_INSTANCE_ID}; {@link PollerLease})
 */
public record BotOptions(String serverUrl,
                         String apiToken,
                         String telegramApiUrl,
                         Optional<String> envToken,
                         Optional<List<ChatTarget>> envChats,
                         Optional<Map<Long, Actor.Role>> envUsers,
                         Path dataDir,
                         String instanceId) {

    /** As the server checks a bot token set in the panel. */
    static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{30,100}");
    /**
     * Variables with the bot's prefix that are not settings: the launcher's (packaging/vigil-telegram-bot), and the
     * server's life of the poller lease.
     */
    static final Set<String> NOT_SETTINGS = Set.of("VIGIL_TELEGRAM_JVM_OPTS", "VIGIL_TELEGRAM_LEASE_TTL");
    static final long MAX_ID = 1_000_000_000_000_000L;
    static final int MAX_CHATS = 100;
    static final int MAX_USERS = 1000;

    /** Reads and checks the settings; one that cannot be used is a {@link SettingsException} naming it. */
    public static BotOptions from(Config root) {
        return from(Settings.of(root));
    }

    /** As {@link #from(Config)}, with {@code settings} remembering what was read (for {@link #unknownVariables}). */
    public static BotOptions from(Settings settings) {
        Settings vigil = settings.under("vigil");
        Settings telegram = vigil.under("telegram");
        String apiToken = vigil.secret("server.api.token").orElseThrow(() -> new SettingsException(
                vigil.variable("server.api.token") + " is not set (nor " + vigil.variable("server.api.token.file")
                        + "): the bot needs an admin API token of the Vigil server (POST /api/v1/tokens, or the"
                        + " admin UI's Tokens page; see --help)"));
        String serverUrl = vigil.url("server.url", "http://", "https://").orElse("http://127.0.0.1:8080");
        String apiUrl = telegram.url("api.url", "http://", "https://").orElse("https://api.telegram.org");
        try {
            RateLimitedTelegram.url(apiUrl);
        } catch (IllegalArgumentException e) {
            throw telegram.invalid("api.url", "must be http(s)://host[:port], such as https://api.telegram.org or"
                    + " http://127.0.0.1:8081 (no path, user or query)");
        }
        Optional<String> token = telegram.secret("token");
        if (token.isPresent() && !BOT_TOKEN.matcher(token.get()).matches()) {
            throw telegram.invalid("token", "must be a bot token as BotFather gives it (digits, a colon, then 30–100"
                    + " letters, digits, _ or -)");
        }
        return new BotOptions(stripSlash(serverUrl), apiToken, stripSlash(apiUrl), token,
                chats(telegram), users(telegram), vigil.path("data.dir", Path.of("./data")).toAbsolutePath().normalize(),
                instanceId(vigil));
    }

    /** Given, or this machine's name and a random suffix (two bots on one machine still differ). */
    static String instanceId(Settings vigil) {
        Optional<String> given = vigil.text("bot.instance.id");
        if (given.isPresent() && !given.get().matches("[A-Za-z0-9._:@-]{1,128}")) {
            throw vigil.invalid("bot.instance.id", "must be 1 to 128 letters, digits or . _ : @ -");
        }
        return given.orElseGet(() -> machineName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL));
    }

    private static String machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return name.isEmpty() ? "vigil-bot" : name.substring(0, Math.min(name.length(), 100));
        } catch (UnknownHostException e) {
            return "vigil-bot";
        }
    }

    /** The bot's variables set in {@code environment} that nothing read: likely typos. */
    public static List<String> unknownVariables(Settings settings, Map<String, String> environment) {
        return settings.unknownVariables(environment, "VIGIL_TELEGRAM_", NOT_SETTINGS);
    }

    /** {@link #telegramApiUrl} as telegrambots takes it: scheme, host and port. */
    public TelegramUrl telegramUrl() {
        return RateLimitedTelegram.url(telegramApiUrl);
    }

    /** {@code <chat id>} or {@code <chat id>:<topic id>}, as the panel takes them. */
    static Optional<List<ChatTarget>> chats(Settings telegram) {
        Optional<List<String>> entries = telegram.list("chats");
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        if (entries.get().size() > MAX_CHATS) {
            throw telegram.invalid("chats", "must name at most " + MAX_CHATS + " chats");
        }
        List<ChatTarget> chats = new ArrayList<>();
        for (String entry : entries.get()) {
            String[] parts = entry.split(":", -1);
            Optional<Long> chat = parts.length <= 2 ? wholeNumber(parts[0]) : Optional.empty();
            Optional<Long> topic = parts.length == 2 ? wholeNumber(parts[1]) : Optional.of(0L);
            if (chat.isEmpty() || chat.get() == 0 || Math.abs(chat.get()) >= MAX_ID || topic.isEmpty()
                    || topic.get() < 0 || topic.get() > Integer.MAX_VALUE || parts.length == 2 && topic.get() == 0) {
                throw telegram.invalid("chats", "entry '" + entry + "' must be <chat id> or <chat id>:<topic id>"
                        + " (a nonzero chat id such as -1001234567890, a topic id from 1)");
            }
            ChatTarget target = new ChatTarget(chat.get(), parts.length == 2
                    ? Optional.of(topic.get().intValue()) : Optional.empty());
            if (chats.contains(target)) {
                throw telegram.invalid("chats", "entry '" + entry + "' is given twice");
            }
            chats.add(target);
        }
        return Optional.of(List.copyOf(chats));
    }

    /** {@code <telegram user id>:<role>}, as the panel takes them. */
    static Optional<Map<Long, Actor.Role>> users(Settings telegram) {
        Optional<List<String>> entries = telegram.list("users");
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        if (entries.get().size() > MAX_USERS) {
            throw telegram.invalid("users", "must name at most " + MAX_USERS + " users");
        }
        Map<Long, Actor.Role> users = new LinkedHashMap<>();
        Set<Long> seen = new HashSet<>();
        for (String entry : entries.get()) {
            String[] parts = entry.split(":", -1);
            Optional<Long> user = parts.length == 2 ? wholeNumber(parts[0]) : Optional.empty();
            Optional<Actor.Role> role = parts.length == 2 ? Actor.Role.parse(parts[1].strip()) : Optional.empty();
            if (user.isEmpty() || user.get() < 1 || user.get() > MAX_ID || role.isEmpty()) {
                throw telegram.invalid("users", "entry '" + entry + "' must be <telegram user id>:<role>, the role"
                        + " viewer, operator or admin (such as 123456789:operator)");
            }
            if (!seen.add(user.get())) {
                throw telegram.invalid("users", "entry '" + entry + "': the user " + user.get() + " is given twice");
            }
            users.put(user.get(), role.get());
        }
        return Optional.of(Map.copyOf(users));
    }

    /** At most 16 digits with an optional minus: every id Telegram or the panel allows, and never an overflow. */
    private static Optional<Long> wholeNumber(String text) {
        String value = text.strip();
        return value.matches("-?[0-9]{1,16}") ? Optional.of(Long.parseLong(value)) : Optional.empty();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
