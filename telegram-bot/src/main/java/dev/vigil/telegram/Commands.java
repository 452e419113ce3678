package dev.vigil.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * The commands and button presses of Telegram users. Each is checked against the user's role before any call to
 * the server ({@link Access}); a refused one is answered politely and reported to the server's audit. Every server
 * call for a user carries that user ({@link Actor}), so the server checks and audits {@code telegram:<id>}. A failure
 * becomes a short plain sentence for the user, never a trace; every button press is answered.
 */
final class Commands {
    private static final Logger LOG = Logger.getLogger(Commands.class.getName());
    private static final int LINES_PER_PAGE = 25;
    /** Each has a row of buttons: Telegram shows a long keyboard badly on a phone. */
    private static final int ACTIONS_PER_PAGE = 6;
    private static final Duration MUTE_BUTTON = Duration.ofHours(1);
    private static final int WARNINGS_LIMIT = 1000;
    /** A toast (answerCallbackQuery) shows at most 200 characters. */
    private static final int TOAST = 200;

    /** A message to send: HTML and its buttons. */
    record Reply(String html, Optional<InlineKeyboardMarkup> buttons) {
        static Reply of(String html) {
            return new Reply(html, Optional.empty());
        }

        static Reply plain(String text) {
            return of(Html.escape(text));
        }
    }

    /** What the user typed cannot be used; the message says how to put it (plain text). */
    private static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private final ServerApi api;
    private final Telegram telegram;
    private final Supplier<BotConfig> config;
    private final Supplier<Optional<String>> botUsername;
    private final Clock clock;

    /**
     * @param telegram    where replies go (within Telegram's limits)
     * @param config      the configuration in force, read per update (a change from the panel applies at once)
     * @param botUsername the bot's @name once known, to tell {@code /stats@this_bot} from another bot's command
     */
    Commands(ServerApi api, Telegram telegram, Supplier<BotConfig> config, Supplier<Optional<String>> botUsername,
             Clock clock) {
        this.api = api;
        this.telegram = telegram;
        this.config = config;
        this.botUsername = botUsername;
        this.clock = clock;
    }

    /** One update from the long poll: a message or a button press; anything else is not for this bot. Never throws. */
    void handle(Update update) {
        try {
            if (update.hasCallbackQuery()) {
                press(update.getCallbackQuery());
            } else if (update.hasMessage()) {
                message(update.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Update " + update.getUpdateId() + " could not be handled", e);
        }
    }

    private void message(Message message) {
        Optional<Args.Line> line = Args.line(message.getText(), botUsername.get());
        User from = message.getFrom();
        if (line.isEmpty() || from == null || Boolean.TRUE.equals(from.getIsBot())) {
            return;
        }
        ChatTarget chat = new ChatTarget(message.getChatId(), Boolean.TRUE.equals(message.getIsTopicMessage())
                ? Optional.ofNullable(message.getMessageThreadId()) : Optional.empty());
        Optional<Command> command = Command.of(line.get().command());
        Access access = Access.decide(config.get(), from.getId(), command.orElse(Command.HELP));
        Reply reply;
        if (!(access instanceof Access.Allowed allowed)) {
            refused(from, "/" + line.get().command());
            reply = Reply.plain(access.refusal());
        } else if (command.isEmpty()) {
            reply = Reply.plain("There is no command /" + line.get().command() + ". /help lists them.");
        } else {
            reply = answer(() -> run(command.get(), line.get().arguments(), allowed.actor()));
        }
        send(chat, reply);
    }

    /**
     * The admin panel's request ({@code telegram_request}: {@code stats}, {@code warn} or {@code test}) sent to every
     * notification chat, straight through {@link Telegram} (within its limits), not through the outbox: it is a
     * button pressed now, not a notification that must survive a restart. The bot reads the server as itself.
     */
    void request(String kind, String requestedBy, List<ChatTarget> chats) {
        Reply reply;
        try {
            reply = switch (kind) {
                case "stats" -> Reply.of(Views.stats(api.get("/api/v1/stats").asJsonObject()));
                case "warn" -> page(Command.WARN, 1, Optional.empty());
                case "test" -> Reply.plain("Vigil test message from " + requestedBy);
                default -> throw new Unusable("the panel asked for '" + kind + "', which this bot does not know");
            };
        } catch (RuntimeException e) {
            LOG.warning("The panel's request for " + kind + " by " + requestedBy + " was not sent: " + problem(e));
            return;
        }
        if (chats.isEmpty()) {
            LOG.warning("The panel's request for " + kind + " by " + requestedBy + ": no notification chat is set");
        }
        chats.forEach(chat -> send(chat, reply));
    }

    private Reply run(Command command, List<String> arguments, Actor actor) {
        int wanted = switch (command) {
            case STATS -> arguments.size() <= 1 ? arguments.size() : -1;
            case START, HELP, WARN, HOSTS, ACTIONS -> 0;
            case APPROVE, REJECT, ACK, REBOOT -> 1;
            case MUTE -> 2;
        };
        if (arguments.size() != wanted) {
            throw new Unusable("Usage: " + command.usage());
        }
        return switch (command) {
            case START -> Reply.of("Hello! This is the Vigil bot: your fleet's state, warnings and approvals.\n\n"
                    + Views.help(actor.role()));
            case HELP -> Reply.of(Views.help(actor.role()));
            case STATS -> arguments.isEmpty() ? Reply.of(Views.stats(api.get("/api/v1/stats", actor).asJsonObject()))
                    : Reply.of(hostStats(actor, arguments.getFirst()));
            case WARN, HOSTS, ACTIONS -> page(command, 1, Optional.of(actor));
            case APPROVE, REJECT -> Reply.plain(decide(actor, action(actor, arguments.getFirst()),
                    command == Command.APPROVE));
            case ACK -> Reply.plain(acknowledge(actor, incidentId(arguments.getFirst())));
            case MUTE -> Reply.plain(mute(actor, arguments.get(0), duration(arguments.get(1))));
            case REBOOT -> rebootQuestion(actor, arguments.getFirst());
        };
    }

    private void press(CallbackQuery query) {
        Optional<Buttons.Press> press = Buttons.parse(query.getData());
        String toast;
        if (press.isEmpty()) {
            toast = "That button is no longer valid.";
        } else {
            Command command = Command.of(press.get().kind());
            Access access = Access.decide(config.get(), query.getFrom().getId(), command);
            if (access instanceof Access.Allowed allowed) {
                toast = toast(() -> pressed(press.get(), allowed.actor(), query.getMessage()));
            } else {
                refused(query.getFrom(), "button " + press.get().kind().name().toLowerCase(Locale.ROOT));
                toast = access.refusal();
            }
        }
        try {
            telegram.answer(query.getId(), toast.length() <= TOAST ? toast : toast.substring(0, TOAST - 1) + "…");
        } catch (Telegram.Failure e) {
            LOG.warning("Could not answer a button press: " + e.getMessage());
        }
    }

    /** Does what the button says; returns the toast (plain text). */
    private String pressed(Buttons.Press press, Actor actor, MaybeInaccessibleMessage message) {
        return switch (press.kind()) {
            case APPROVE, REJECT -> decide(actor, UUID.fromString(press.id()), press.kind() == Buttons.Kind.APPROVE);
            case ACKNOWLEDGE -> acknowledge(actor, Long.parseLong(press.id()));
            case MUTE -> muteHost(actor, host(actor, Long.parseLong(press.id())), MUTE_BUTTON);
            case REBOOT -> reboot(actor, Long.parseLong(press.id()), message);
            case PAGE -> {
                Command list = Command.of(press.command()).filter(c -> c == Command.WARN || c == Command.HOSTS
                        || c == Command.ACTIONS).orElseThrow(() -> new Unusable("That button is no longer valid."));
                if (!accessible(message)) {
                    throw new Unusable("That message is too old to turn pages; send /" + list.word() + " again.");
                }
                Reply page = page(list, press.page(), Optional.of(actor));
                telegram.edit(message.getChatId(), message.getMessageId(), page.html(), page.buttons());
                yield "Page " + press.page();
            }
        };
    }

    /**
     * Page {@code page} (from 1; the last when the list got shorter) of a long list, with its page buttons and, for
     * {@code /actions}, approve and reject for each action on it. Without an actor the bot reads as itself (the
     * panel's requests).
     */
    Reply page(Command list, int page, Optional<Actor> actor) {
        return switch (list) {
            case WARN -> {
                List<JsonObject> warnings = Args.objects(get("/api/v1/warnings?limit=" + WARNINGS_LIMIT, actor));
                yield paged(list, page, Pages.split(Views.warningsHeader(warnings), warnings,
                        w -> Views.incident(w, true), LINES_PER_PAGE));
            }
            case HOSTS -> {
                List<JsonObject> hosts = Args.objects(get("/api/v1/hosts", actor));
                yield paged(list, page, Pages.split(Views.hostsHeader(hosts), hosts, Views::hostLine,
                        LINES_PER_PAGE));
            }
            case ACTIONS -> {
                List<JsonObject> actions = Args.objects(get("/api/v1/actions?status=pending_approval", actor));
                List<JsonObject> hosts = actions.isEmpty() ? List.of() : Args.objects(get("/api/v1/hosts", actor));
                yield paged(list, page, Pages.split(Views.actionsHeader(actions), actions,
                        a -> Views.actionLine(a, hostName(hosts, a)), ACTIONS_PER_PAGE));
            }
            default -> throw new IllegalArgumentException(list + " is no list");
        };
    }

    private static Reply paged(Command list, int wanted, List<Pages.Page<JsonObject>> pages) {
        int page = Math.min(Math.max(wanted, 1), pages.size());
        Pages.Page<JsonObject> shown = pages.get(page - 1);
        List<InlineKeyboardRow> rows = new ArrayList<>();
        if (list == Command.ACTIONS) {
            for (JsonObject action : shown.items()) {
                rows.addAll(Buttons.approval(UUID.fromString(action.getString("id"))).getKeyboard());
            }
        }
        Buttons.pages(list.word(), page, pages.size()).ifPresent(b -> rows.addAll(b.getKeyboard()));
        return new Reply(shown.html(), rows.isEmpty() ? Optional.empty() : Optional.of(new InlineKeyboardMarkup(rows)));
    }

    private String hostStats(Actor actor, String name) {
        JsonObject host = hostNamed(actor, name);
        long id = host.getJsonNumber("id").longValue();
        JsonObject latest = api.get("/api/v1/hosts/" + id + "/latest", actor).asJsonObject();
        List<JsonObject> incidents = Args.objects(api.get("/api/v1/incidents?state=open&host=" + id, actor));
        return Views.host(latest, incidents);
    }

    /** Approves or rejects; a decided one says by whom (the server's 409), a missing one so (404). */
    private String decide(Actor actor, UUID id, boolean approve) {
        try {
            JsonObject action = api.post("/api/v1/actions/" + id + "/" + (approve ? "approve" : "reject"), actor,
                    null).asJsonObject();
            return (approve ? "Approved: " : "Rejected: ") + describe(action) + " (now "
                    + action.getString("status", "?") + ").";
        } catch (ServerApi.Failure e) {
            if (e.status() == 404) {
                throw new Unusable("There is no action " + id + ".");
            }
            if (e.status() != 409) {
                throw e;
            }
        }
        JsonObject action = api.get("/api/v1/actions/" + id, actor).asJsonObject();
        String status = action.getString("status", "?");
        String by = action.get("decided_by") instanceof JsonString who ? " by " + who.getString() : "";
        return switch (status) {
            case "pending_approval" -> "That action is still waiting for an approval; try again.";
            case "rejected" -> "Already rejected" + by + ".";
            case "approved", "dispatched", "succeeded", "failed", "refused" -> "Already approved" + by
                    + " (now " + status + ").";
            default -> "That action was already decided" + by + ": " + status + ".";
        };
    }

    private String acknowledge(Actor actor, long id) {
        try {
            JsonObject incident = api.post("/api/v1/incidents/" + id + "/ack", actor, null).asJsonObject();
            return "Acknowledged #" + id + ": " + incident.getString("subject", "") + ".";
        } catch (ServerApi.Failure e) {
            if (e.status() == 404) {
                throw new Unusable("There is no incident #" + id + ".");
            }
            if (e.status() != 409) {
                throw e;
            }
        }
        JsonObject incident = api.get("/api/v1/incidents/" + id, actor).asJsonObject();
        return switch (incident.getString("state", "")) {
            case "resolved" -> "That incident is already resolved.";
            case "acknowledged" -> "Already acknowledged" + (incident.get("acknowledged_by") instanceof JsonString who
                    ? " by " + who.getString() : "") + ".";
            default -> "That incident cannot be acknowledged now; try again.";
        };
    }

    private String mute(Actor actor, String hostOrGroup, Duration duration) {
        List<JsonObject> hosts = Args.objects(api.get("/api/v1/hosts", actor));
        Optional<JsonObject> host = Args.host(hosts, hostOrGroup);
        if (host.isPresent()) {
            return muteHost(actor, host.get(), duration);
        }
        String group = Args.group(hosts, hostOrGroup).orElseThrow(() -> new Unusable("There is no host or group "
                + hostOrGroup + ". /hosts lists them."));
        Instant until = maintenance(actor, ServerApi.JSON.createObjectBuilder().add("group", group), duration);
        return "Muted the group " + group + " until " + Views.time(until) + ": no actions run on its hosts"
                + " meanwhile.";
    }

    private String muteHost(Actor actor, JsonObject host, Duration duration) {
        Instant until = maintenance(actor, ServerApi.JSON.createObjectBuilder().add("host_id",
                host.getJsonNumber("id")), duration);
        return "Muted " + host.getString("name", "the host") + " until " + Views.time(until)
                + ": no actions run on it meanwhile.";
    }

    /** A maintenance window from now on {@code target} (a host or a group); returns its end. */
    private Instant maintenance(Actor actor, JsonObjectBuilder target, Duration duration) {
        Instant until = clock.instant().plus(duration);
        api.post("/api/v1/maintenance", actor, target.add("ends_at", until.toString())
                .add("reason", "muted from Telegram for " + Views.duration(duration)).build());
        return until;
    }

    private Reply rebootQuestion(Actor actor, String name) {
        JsonObject host = hostNamed(actor, name);
        return new Reply("Reboot <b>" + Views.user(host, "name", Views.NAME) + "</b>? The reboot goes through the"
                + " gate, and waits for an admin's approval as in the web UI.",
                Optional.of(Buttons.rebootConfirm(host.getJsonNumber("id").longValue())));
    }

    /** The confirmation pressed: proposes the reboot, and puts the result (with approval buttons) in its place. */
    private String reboot(Actor actor, long hostId, MaybeInaccessibleMessage question) {
        JsonObject host = host(actor, hostId);
        String name = host.getString("name", "");
        JsonObject action = api.post("/api/v1/actions", actor, ServerApi.JSON.createObjectBuilder()
                .add("host_id", hostId).add("type", "reboot").add("target", name)
                .add("reason", "reboot requested from Telegram by telegram:" + actor.userId()).build()).asJsonObject();
        String status = action.getString("status", "?");
        String said = "Reboot of " + name + " proposed: " + status.replace('_', ' ') + ".";
        if (accessible(question)) {
            Optional<InlineKeyboardMarkup> buttons = "pending_approval".equals(status)
                    ? Optional.of(Buttons.approval(UUID.fromString(action.getString("id")))) : Optional.empty();
            telegram.edit(question.getChatId(), question.getMessageId(), Html.escape(said) + "\n<code>"
                    + Views.user(action, "id", 36) + "</code>", buttons);
        }
        return said;
    }

    /** The action named by its id or the first digits of it among those waiting for an approval. */
    private UUID action(Actor actor, String typed) {
        Args.ActionRef ref = Args.actionRef(typed).orElseThrow(() -> new Unusable("That is no action id: give the"
                + " id /actions shows, or at least its first " + Args.MIN_ACTION_PREFIX + " characters."));
        if (ref instanceof Args.ActionRef.Whole whole) {
            return whole.id();
        }
        String digits = ((Args.ActionRef.Prefix) ref).digits();
        List<String> matching = Args.objects(api.get("/api/v1/actions?status=pending_approval", actor)).stream()
                .map(a -> a.getString("id", "")).filter(id -> id.startsWith(digits)).toList();
        if (matching.size() != 1) {
            throw new Unusable(matching.isEmpty() ? "No action waiting for an approval starts with " + digits
                    + ". /actions lists them." : digits + " is the start of " + matching.size() + " actions; give"
                    + " more of the id.");
        }
        return UUID.fromString(matching.getFirst());
    }

    private static long incidentId(String typed) {
        OptionalLong id = Args.incidentId(typed);
        if (id.isEmpty()) {
            throw new Unusable("That is no incident id: give its number, such as 7 (/warn lists them).");
        }
        return id.getAsLong();
    }

    private static Duration duration(String typed) {
        return Args.muteDuration(typed).orElseThrow(() -> new Unusable("The duration must be such as 30m, 2h or"
                + " 1d, from 1 minute to 7 days."));
    }

    private JsonObject host(Actor actor, long id) {
        try {
            return api.get("/api/v1/hosts/" + id, actor).asJsonObject();
        } catch (ServerApi.Failure e) {
            if (e.status() == 404) {
                throw new Unusable("That host is no longer registered.");
            }
            throw e;
        }
    }

    private JsonObject hostNamed(Actor actor, String name) {
        return Args.host(Args.objects(api.get("/api/v1/hosts", actor)), name)
                .orElseThrow(() -> new Unusable("There is no host " + name + ". /hosts lists them."));
    }

    private static String hostName(List<JsonObject> hosts, JsonObject action) {
        long id = action.getJsonNumber("host_id").longValue();
        return hosts.stream().filter(h -> h.getJsonNumber("id").longValue() == id).findFirst()
                .map(h -> h.getString("name", "")).orElse("host " + id);
    }

    private JsonValue get(String path, Optional<Actor> actor) {
        return actor.isPresent() ? api.get(path, actor.get()) : api.get(path);
    }

    /** An action in a few words for the user who decided it. */
    private static String describe(JsonObject action) {
        return action.getString("type", "action").replace('_', ' ') + " " + action.getString("target", "");
    }

    /** Telegram keeps a message for the bot to edit; an old one (date 0) it no longer shows. */
    private static boolean accessible(MaybeInaccessibleMessage message) {
        return message != null && message.getDate() != null && message.getDate() != 0;
    }

    /** Reports the refusal to the server's audit, as {@code telegram:<id>}. */
    private void refused(User user, String command) {
        JsonObjectBuilder body = ServerApi.JSON.createObjectBuilder().add("user_id", user.getId())
                .add("command", command);
        if (user.getUserName() != null) {
            body.add("username", user.getUserName());
        } else {
            body.addNull("username");
        }
        try {
            api.post("/api/v1/telegram/refusals", body.build());
        } catch (ServerApi.Failure e) {
            LOG.warning("Could not report the refusal of " + command + " for telegram:" + user.getId()
                    + " to the server: " + e.getMessage());
        }
    }

    private void send(ChatTarget chat, Reply reply) {
        try {
            telegram.send(chat, reply.html(), reply.buttons(), false);
        } catch (Telegram.Failure e) {
            LOG.warning("Could not reply in chat " + chat.chatId() + ": " + e.getMessage());
        }
    }

    /** The reply, or what went wrong in a short sentence. */
    private static Reply answer(Supplier<Reply> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return Reply.plain(problem(e));
        }
    }

    /** The toast of a button press (plain text), or what went wrong. */
    private static String toast(Supplier<String> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return problem(e);
        }
    }

    private static String problem(RuntimeException e) {
        return switch (e) {
            case Unusable unusable -> unusable.getMessage();
            case ServerApi.Failure failure -> failure(failure);
            case Telegram.Failure failure -> "Telegram refused that: " + failure.getMessage();
            default -> {
                LOG.log(Level.WARNING, "A command failed", e);
                yield "Something went wrong; the bot's log has the details.";
            }
        };
    }

    /** The server's refusal in plain words. */
    static String failure(ServerApi.Failure e) {
        if (e.unreachable()) {
            return "The Vigil server cannot be reached right now. Try again in a minute.";
        }
        if (e.status() >= 500) {
            return "The Vigil server could not answer (" + e.status() + "). Try again later.";
        }
        return switch (e.status()) {
            case 403 -> "The Vigil server refused: " + e.getMessage();
            case 404 -> "Not found: " + e.getMessage();
            case 409 -> "Not now: " + e.getMessage();
            default -> e.getMessage();
        };
    }
}
