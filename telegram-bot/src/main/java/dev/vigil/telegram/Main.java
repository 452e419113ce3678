package dev.vigil.telegram;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

import dev.vigil.settings.Launch;
import io.helidon.logging.common.LogConfig;

/** Starts the Vigil Telegram bot: {@code java -jar vigil-telegram-bot.jar [--help]}. */
public final class Main {
    static final String HELP = """
            Usage: java -jar vigil-telegram-bot.jar [--help]

            The Vigil Telegram bot: notifications, /stats, /warn and approvals in Telegram. A client of the Vigil
            server's API (REST and the event stream, with an API token); it never touches the database.

            Settings (environment variables):
              VIGIL_SERVER_API_TOKEN       an admin API token of the Vigil server            required
              VIGIL_SERVER_API_TOKEN_FILE  instead: a file holding it (secrets)              unset
              VIGIL_SERVER_URL             the Vigil server                                  http://127.0.0.1:8080
              VIGIL_TELEGRAM_TOKEN         the bot token from BotFather                      unset: the admin panel's
              VIGIL_TELEGRAM_TOKEN_FILE    instead: a file holding it (secrets)              unset
              VIGIL_TELEGRAM_API_URL       the Bot API: http(s)://host[:port]                https://api.telegram.org
                                           (a local Bot API server, e.g. http://127.0.0.1:8081)
              VIGIL_TELEGRAM_CHATS         notification chats, comma list of <chat id> or    unset: the admin panel's
                                           <chat id>:<topic id> (a forum topic)
              VIGIL_TELEGRAM_USERS         who may use the bot, comma list of                unset: the admin panel's
                                           <telegram user id>:<role>, role viewer, operator or admin
              VIGIL_DATA_DIR               the bot's state (the outbox journal in telegram/) ./data
              VIGIL_BOT_INSTANCE_ID        this bot's name among several bot processes:      machine name and
                                           only the poller lease's holder polls and sends    a random suffix
              VIGIL_TELEGRAM_JVM_OPTS      the JVM options of the launcher (packaging/vigil-telegram-bot)

            The admin UI's Telegram panel sets the token, chats, users, the least severity notified and quiet
            delivery; the bot applies a change at once. A token, chat list or user list set in the environment wins
            over the panel's, field by field. Without a token from either the bot waits for one.

            Values: spaces around a value are stripped, and an empty value counts as unset. A value that cannot be
            read stops the bot with one line naming it and exit code 2; a VIGIL_TELEGRAM_… variable that is no
            setting is named in a warning. See docs/telegram.md.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Logger log = Logger.getLogger(Main.class.getName());
        Optional<Bot> started = Launch.start("vigil-telegram-bot", args, HELP, log, BotOptions::unknownVariables,
                settings -> Bot.start(BotOptions.from(settings)));
        if (started.isEmpty()) {
            return;
        }
        Bot bot = started.get();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bot.close();
            stopped.countDown();
        }, "vigil-shutdown"));
        log.info("Vigil Telegram bot for the server at " + bot.options().serverUrl() + ", Bot API at "
                + bot.options().telegramApiUrl());
        // every thread of the bot is a daemon: main keeps the JVM up until a signal closes the bot
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
