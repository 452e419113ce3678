package dev.vigil.agent.act;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.agent.AgentConfig;

/**
 * Carries out the actions the server asks for, within the agent's own policy, each id at most once: a repeated
 * id — also one that arrives while the first is still running, or after the agent restarted — is answered
 * with the first result and nothing is done again.
 */
public final class Actions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Actions.class.getName());

    private final ActionJournal journal;
    private final List<String> allowedServices;
    private final boolean allowReboot;
    private final boolean dryRun;
    private final ServiceRestarter restarter;
    private final ProcessKiller killer;
    private final LogindReboot logind;
    private final Map<UUID, CompletableFuture<ActionResult>> results = new ConcurrentHashMap<>();

    /** Why the last write to the journal failed; empty once one works. */
    private volatile Optional<String> journalProblem = Optional.empty();

    private Actions(ActionJournal journal, AgentConfig config) {
        this.journal = journal;
        this.allowedServices = config.allowedServices();
        this.allowReboot = config.allowReboot();
        this.dryRun = config.dryRun();
        this.restarter = new ServiceRestarter(config.systemBusAddress(), config.restartTimeout());
        this.killer = new ProcessKiller(config.procfs(), config.allowKill(), config.killableProcesses(),
                config.killGrace());
        this.logind = new LogindReboot(config.systemBusAddress());
        journal.results().forEach((id, result) -> results.put(id, CompletableFuture.completedFuture(result)));
    }

    /** Opens the journal in the state directory; a directory the agent cannot write is a configuration error. */
    public static Actions open(AgentConfig config) {
        Path dir = config.stateDir();
        try {
            ActionJournal journal = ActionJournal.open(dir);
            LOG.info(() -> "Action journal " + journal.file() + ": " + journal.results().size() + " earlier results");
            return new Actions(journal, config);
        } catch (IOException e) {
            throw new IllegalArgumentException("VIGIL_AGENT_STATE_DIR " + dir + " is not writable, and actions need"
                    + " their journal there (" + e + ")");
        }
    }

    /** Runs the action, or answers the first result of its id again; blocks while that first one runs. */
    public ActionResult carryOut(ActionRequest request) {
        CompletableFuture<ActionResult> mine = new CompletableFuture<>();
        CompletableFuture<ActionResult> first = results.putIfAbsent(request.id(), mine);
        if (first != null) {
            ActionResult earlier = first.join();
            LOG.info(() -> describe(request) + ": repeated; answered with its first result ("
                    + earlier.status().json() + ")");
            return earlier.asReplay();
        }
        long start = System.nanoTime();
        ActionResult result;
        try {
            result = run(request);
        } catch (RuntimeException e) {
            result = new ActionResult(request.id(), unexpected(request, e));
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        ActionResult logged = result;
        LOG.info(() -> describe(request) + ": " + logged.status().json() + " in " + millis + " ms: "
                + logged.detail());
        mine.complete(result);
        return result;
    }

    private static String describe(ActionRequest request) {
        return "action " + request.id() + " " + request.type()
                + (request.target().isEmpty() ? "" : " " + request.target());
    }

    private ActionResult run(ActionRequest request) {
        Decision decision = decide(request);
        if (decision instanceof Decision.Refused refused) {
            return record(request, new Outcome(ActionStatus.REFUSED, refused.reason()));
        }
        Decision.Allowed allowed = (Decision.Allowed) decision;
        if (dryRun) {
            return record(request, new Outcome(ActionStatus.DRY_RUN, "would " + allowed.intent()));
        }
        try {
            journal.started(request, Instant.now());
            journalProblem = Optional.empty();
        } catch (IOException e) {
            journalProblem = Optional.of(unwritable(e));
            return new ActionResult(request.id(), Outcome.failed("not run: the action journal " + unwritable(e)));
        }
        Outcome outcome;
        try {
            outcome = allowed.deed().get();
        } catch (RuntimeException e) {
            outcome = unexpected(request, e);
        }
        ActionResult result = record(request, outcome);
        allowed.afterRecorded().run();
        return result;
    }

    private static Outcome unexpected(ActionRequest request, RuntimeException e) {
        LOG.log(Level.SEVERE, describe(request) + " failed unexpectedly", e);
        return Outcome.failed("the agent could not carry out this action (" + e + "); its log has the details");
    }

    private Decision decide(ActionRequest request) {
        return switch (request.type()) {
            case "restart_service" -> allowedServices.contains(request.target())
                    ? new Decision.Allowed("restart " + request.target(), () -> restarter.restart(request.target()))
                    : new Decision.Refused(request.target() + " is not in VIGIL_AGENT_ALLOWED_SERVICES ("
                            + (allowedServices.isEmpty() ? "empty" : String.join(", ", allowedServices)) + ")");
            case "kill_process" -> killer.decide(request);
            case "reboot" -> allowReboot
                    ? new Decision.Allowed("reboot this host", () -> Outcome.succeeded("reboot requested from logind"),
                            () -> logind.rebootSoon(request.id()))
                    : new Decision.Refused("reboots are not allowed on this agent: VIGIL_AGENT_ALLOW_REBOOT is false");
            default -> throw new IllegalArgumentException("unknown action type " + request.type());
        };
    }

    /** A result not written to the journal is still answered, and again for a repeat until the agent stops. */
    private ActionResult record(ActionRequest request, Outcome outcome) {
        ActionResult result = new ActionResult(request.id(), outcome);
        try {
            journal.finished(request, result, Instant.now());
            journalProblem = Optional.empty();
        } catch (IOException e) {
            journalProblem = Optional.of(unwritable(e));
            LOG.warning("action " + request.id() + ": its result could not be written to " + journal.file()
                    + " (" + e.getMessage() + "); after a restart of the agent it will be answered as cut short");
        }
        return result;
    }

    private String unwritable(IOException e) {
        return journal.file() + " cannot be written (" + e.getMessage() + ")";
    }

    /** Empty while the action journal is written; else why the last write failed. */
    public Optional<String> journalProblem() {
        return journalProblem;
    }

    @Override
    public void close() {
        journal.close();
    }
}
