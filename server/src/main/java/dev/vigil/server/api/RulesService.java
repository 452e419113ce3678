package dev.vigil.server.api;

import dev.vigil.server.model.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.vigil.rules.Problem;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleSet;
import dev.vigil.server.decide.Backtest;
import dev.vigil.server.decide.RulesFolder;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.HostStore;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/rules}: the DRL files with their load status; read, validate and replace one (replaced only by
 * a version with which the whole set compiles); backtest the running or a candidate rule set on stored history.
 */
public final class RulesService implements Access.Resource {
    /** A backtest replays at most this much history. */
    static final Duration MAX_BACKTEST = Duration.ofDays(7);

    private final RulesFolder folder;
    private final Supplier<RuleSet> running;
    private final HostStore hosts;
    private final Backtest backtest;
    private final BooleanSupplier globalDryRun;
    private final AuditLog audit;
    private final java.time.Clock clock;

    public RulesService(RulesFolder folder, Supplier<RuleSet> running, HostStore hosts, Backtest backtest,
                        BooleanSupplier globalDryRun, AuditLog audit, java.time.Clock clock) {
        this.folder = folder;
        this.running = running;
        this.hosts = hosts;
        this.backtest = backtest;
        this.globalDryRun = globalDryRun;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/rules", Role.VIEWER, this::list)
                .post("/api/v1/rules/validate", Role.OPERATOR, Access.Input.body("name", "content", "files"),
                        this::validate)
                .post("/api/v1/rules/backtest", Role.OPERATOR, Access.Input.body("host", "from", "to", "rules"),
                        this::backtest)
                .get("/api/v1/rules/{file}", Role.VIEWER, this::get)
                .put("/api/v1/rules/{file}", Role.ADMIN, Access.Input.body("content"), this::put);
    }

    private void list(ServerRequest request, ServerResponse response) {
        RulesFolder.Status status = folder.status();
        JsonArrayBuilder files = JSON.createArrayBuilder();
        status.files().forEach(file -> files.add(JSON.createObjectBuilder()
                .add("name", file.name())
                .add("status", file.state())
                .add("problems", problems(file.problems()))));
        JsonArrayBuilder names = JSON.createArrayBuilder();
        status.ruleNames().forEach(names::add);
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("folder", folder.folder().toString())
                .add("loaded_at", status.loadedAt().toString())
                .add("status", status.problems().isEmpty() ? "loaded" : "error")
                .add("files", files)
                .add("problems", problems(status.problems()))
                .add("rules", names)
                .build());
    }

    private void get(ServerRequest request, ServerResponse response) {
        String name = fileName(request);
        Map<String, String> files = read();
        if (!files.containsKey(name)) {
            throw ApiErrors.notFound("no rule file " + name);
        }
        RulesFolder.FileStatus status = folder.status().files().stream().filter(f -> f.name().equals(name))
                .findFirst().orElse(new RulesFolder.FileStatus(name, "stale", List.of()));
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("name", name)
                .add("content", files.get(name))
                .add("status", status.state())
                .add("problems", problems(status.problems()))
                .build());
    }

    private void put(ServerRequest request, ServerResponse response) {
        String name = fileName(request);
        String content = content(JsonBodies.object(request), "content");
        List<Problem> problems = onDisk(() -> folder.put(name, content));
        if (!problems.isEmpty()) {
            refuseProblems(response, "\"content\": " + name + " does not compile with the other rules; nothing was"
                    + " changed", problems);
            return;
        }
        audit.record(clock.instant(), Access.who(request), "rules_replaced", name,
                content.length() + " characters; the rules reloaded");
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("name", name).add("status", "loaded").add("problems", JsonValue.EMPTY_JSON_ARRAY).build());
    }

    /** {@code {"name": …, "content": …}} or {@code {"files": {name: content, …}}}: compiled, nothing changed. */
    private void validate(ServerRequest request, ServerResponse response) {
        Map<String, String> candidate = candidate(JsonBodies.object(request));
        RuleSet.Compilation compilation = onDisk(() -> folder.validate(candidate));
        List<Problem> problems = compilation instanceof RuleSet.Failed failed ? failed.problems() : List.of();
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("valid", problems.isEmpty())
                .add("problems", problems(problems))
                .build());
    }

    /** {@code {host, from, to, rules?}}: the running rules, or the folder with {@code rules} (name → text) over it. */
    private void backtest(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Host host = host(body.get("host"));
        Instant from = JsonBodies.instant(body, "from").orElseThrow(() -> ApiErrors.badRequest(
                "\"from\" is required"));
        Instant to = JsonBodies.instant(body, "to").orElse(clock.instant());
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_BACKTEST) > 0) {
            throw ApiErrors.badRequest("\"from\" must be before \"to\", at most " + MAX_BACKTEST.toDays()
                    + " days apart");
        }
        RuleSet rules = running.get();
        String which = "running";
        if (body.containsKey("rules")) {
            which = "candidate";
            Map<String, String> candidate = files(body, "rules");
            switch (onDisk(() -> folder.validate(candidate))) {
                case RuleSet.Compiled compiled -> rules = compiled.rules();
                case RuleSet.Failed failed -> {
                    refuseProblems(response, "\"rules\": the candidate rules do not compile", failed.problems());
                    return;
                }
            }
        }
        Backtest.Result result = backtest.run(host, from, to, rules, globalDryRun.getAsBoolean());
        JsonArrayBuilder incidents = JSON.createArrayBuilder();
        result.incidents().forEach(i -> {
            JsonObjectBuilder json = JSON.createObjectBuilder()
                    .add("key", i.key()).add("kind", i.kind()).add("subject", i.subject())
                    .add("severity", i.severity()).add("message", i.message())
                    .add("opened_at", i.openedAt().toString()).add("changes", i.changes());
            IncidentsService.optional(json, "resolved_at", i.resolvedAt().map(Object::toString));
            incidents.add(json);
        });
        JsonArrayBuilder actions = JSON.createArrayBuilder();
        result.actions().forEach(a -> actions.add(JSON.createObjectBuilder()
                .add("at", a.at().toString()).add("type", a.type()).add("target", a.target())
                .add("reason", a.reason()).add("status", a.status()).add("detail", a.detail())));
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("host_id", host.id())
                .add("from", from.toString())
                .add("to", to.toString())
                .add("rules", which)
                .add("samples", result.samples())
                .add("unreadable_samples", result.unreadable())
                .add("incidents", incidents)
                .add("actions", actions)
                .build());
    }

    private Host host(JsonValue value) {
        if (value instanceof JsonNumber id) {
            long hostId = Values.whole("host", id.bigDecimalValue(), 1, Long.MAX_VALUE);
            return hosts.find(hostId).orElseThrow(() -> ApiErrors.badRequest("\"host\": no host " + hostId));
        }
        if (value instanceof JsonString given) {
            String name = Values.text("host", given.getString(), 255, false);
            return hosts.list().stream().filter(h -> h.name().equals(name)).findFirst()
                    .orElseThrow(() -> ApiErrors.badRequest("\"host\": no host named " + ApiErrors.shown(name)));
        }
        throw ApiErrors.badRequest("\"host\" must be a host's id or name");
    }

    private static Map<String, String> candidate(JsonObject body) {
        if (body.containsKey("files") == body.containsKey("name")) {
            throw ApiErrors.badRequest("give {\"name\": …, \"content\": …} or {\"files\": {name: content, …}}");
        }
        return body.containsKey("files") ? files(body, "files")
                : Map.of(checkedName("name", content(body, "name")), content(body, "content"));
    }

    /** The rule files of a {@code field} that maps file names to their text. */
    private static Map<String, String> files(JsonObject body, String field) {
        if (!(body.get(field) instanceof JsonObject named)) {
            throw ApiErrors.badRequest("\"" + field + "\" must be an object of rule file names and their text");
        }
        Map<String, String> files = new TreeMap<>();
        named.forEach((name, text) -> {
            if (!(text instanceof JsonString s)) {
                throw ApiErrors.badRequest("\"" + field + "\": the text of " + ApiErrors.shown(name)
                        + " must be a string");
            }
            files.put(checkedName(field, name), Values.text(field, s.getString(), JsonBodies.MAX_BODY, true));
        });
        return files;
    }

    private static String fileName(ServerRequest request) {
        return checkedName("file", request.path().pathParameters().get("file"));
    }

    private static String checkedName(String field, String name) {
        if (!RuleFiles.validName(name)) {
            throw ApiErrors.badRequest("\"" + field + "\": a rule file is named like cpu.drl (letters, digits,"
                    + " _ . -), not " + ApiErrors.shown(name));
        }
        return name;
    }

    /** A string field: a file's name or its text (lines, with tabs). */
    private static String content(JsonObject body, String name) {
        return JsonBodies.lines(body, name, JsonBodies.MAX_BODY).orElseThrow(() -> ApiErrors.badRequest(
                "\"" + name + "\" must be a string"));
    }

    private Map<String, String> read() {
        return onDisk(() -> RuleFiles.read(folder.folder()));
    }

    private interface FolderCall<T> {
        T call() throws IOException;
    }

    /** A file in the folder that cannot be rules is the operator's to remove: 409 naming it, not a server error. */
    private static <T> T onDisk(FolderCall<T> call) {
        try {
            return call.call();
        } catch (RuleFiles.NotText e) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, "The rules folder holds a file that cannot be rules: "
                    + e.getMessage() + "; remove or fix it first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void refuseProblems(ServerResponse response, String message, List<Problem> problems) {
        JsonBodies.send(response, Status.BAD_REQUEST_400, JSON.createObjectBuilder()
                .add("error", "invalid_rules")
                .add("message", message + ": " + problems.getFirst())
                .add("problems", problems(problems))
                .build());
    }

    private static JsonArrayBuilder problems(List<Problem> problems) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        problems.forEach(p -> array.add(JSON.createObjectBuilder()
                .add("file", p.file()).add("line", p.line()).add("column", p.column()).add("message", p.message())));
        return array;
    }
}
