package dev.vigil.server.decide;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.vigil.rules.Problem;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleSet;

/**
 * The rules folder ({@code VIGIL_RULES_DIR}): seeded with the default rules when it does not exist, watched for
 * changes, compiled in the background. A change that compiles replaces the running rules; one that does not
 * leaves them running and is reported (log, {@link #status()}) with file, line and column. A file is only
 * written through {@link #put} after the whole set compiles with it.
 */
public final class RulesFolder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RulesFolder.class.getName());
    /** Editors save in several steps: wait for the folder to be quiet this long before compiling. */
    private static final long QUIET_MILLIS = 300;

    /** A file's state: {@code loaded} (its text runs), {@code error} (it has problems), {@code stale}. */
    public record FileStatus(String name, String state, List<Problem> problems) {
    }

    /**
     * @param loadedAt when the running rules were loaded
     * @param problems the problems of the folder's current text; empty when it runs as it is on disk
     */
    public record Status(Instant loadedAt, List<FileStatus> files, List<Problem> problems, List<String> ruleNames) {
    }

    private final Path folder;
    private final Clock clock;
    private final WatchService watcher;
    private volatile Consumer<RuleSet> onLoaded = rules -> { };
    private Thread thread;
    private volatile Status status;
    private RuleSet running;

    private RulesFolder(Path folder, Clock clock) throws IOException {
        this.folder = folder;
        this.clock = clock;
        this.watcher = FileSystems.getDefault().newWatchService();
        folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    /**
     * Opens the folder (creating it from the defaults when it does not exist) and compiles it. Rules that do not
     * compile at start leave the bundled defaults running, and the status says why.
     */
    public static RulesFolder open(Path folder, Clock clock) throws IOException {
        if (RuleFiles.seed(folder)) {
            LOG.info("Created the rules folder " + folder + " with the default rules");
        }
        return new RulesFolder(folder, clock);
    }

    /** The rules to start with: the folder's, or the bundled defaults when the folder's do not compile. */
    public synchronized RuleSet initialRules() throws IOException {
        Map<String, String> files;
        RuleSet.Compilation compilation;
        try {
            files = RuleFiles.read(folder);
            compilation = RuleSet.compile(files);
        } catch (RuleFiles.NotText e) {
            files = Map.of();
            compilation = new RuleSet.Failed(List.of(problem(e)));
        }
        switch (compilation) {
            case RuleSet.Compiled compiled -> {
                running = compiled.rules();
                status = loadedStatus(files);
                LOG.info("Rules loaded from " + folder + ": " + files.keySet() + ", " + running.ruleNames().size()
                        + " rules");
            }
            case RuleSet.Failed failed -> {
                Map<String, String> defaults = new TreeMap<>();
                RuleFiles.DEFAULTS.forEach(name -> defaults.put(name, RuleFiles.bundled(name)));
                running = ((RuleSet.Compiled) RuleSet.compile(defaults)).rules();
                status = errorStatus(files, failed.problems());
                LOG.severe("The rules in " + folder + " do not compile; running the bundled defaults until they do:"
                        + describe(failed.problems()));
            }
        }
        return running;
    }

    /** Starts watching; each set of rules that compiles from now on goes to {@code loaded}. */
    public void watch(Consumer<RuleSet> loaded) {
        onLoaded = loaded;
        thread = Thread.ofPlatform().name("vigil-rules-watch").daemon().start(this::watchLoop);
    }

    public Path folder() {
        return folder;
    }

    public Status status() {
        return status;
    }

    /** Compiles the folder's files with some replaced (name → text), without changing anything. */
    public RuleSet.Compilation validate(Map<String, String> replacements) throws IOException {
        Map<String, String> files = RuleFiles.read(folder);
        files.putAll(replacements);
        return RuleSet.compile(files);
    }

    /**
     * Replaces (or adds) one file if the whole set compiles with it, and runs the result at once. On problems
     * the file on disk is untouched and the problems are returned.
     */
    public synchronized List<Problem> put(String name, String text) throws IOException {
        Map<String, String> files = RuleFiles.read(folder);
        files.put(name, text);
        return switch (RuleSet.compile(files)) {
            case RuleSet.Failed failed -> failed.problems();
            case RuleSet.Compiled compiled -> {
                RuleFiles.write(folder, name, text);
                load(compiled.rules(), files);
                yield List.of();
            }
        };
    }

    /** Compiles what the folder holds now; runs it if it compiles. */
    public synchronized void reload() {
        Map<String, String> files;
        try {
            files = RuleFiles.read(folder);
        } catch (RuleFiles.NotText e) {
            status = errorStatus(running.files(), List.of(problem(e)));
            LOG.severe("The rules folder " + folder + " holds a file that cannot be rules: " + e.getMessage()
                    + "; the running rules stay");
            return;
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "Cannot read the rules folder " + folder + ": " + e.getMessage()
                    + "; the running rules stay", e);
            return;
        }
        if (running != null && files.equals(running.files())) {
            status = loadedStatus(files);
            return;
        }
        switch (RuleSet.compile(files)) {
            case RuleSet.Compiled compiled -> load(compiled.rules(), files);
            case RuleSet.Failed failed -> {
                status = errorStatus(files, failed.problems());
                LOG.severe("The rules in " + folder + " do not compile; the running rules stay:"
                        + describe(failed.problems()));
            }
        }
    }

    private void load(RuleSet rules, Map<String, String> files) {
        running = rules;
        status = loadedStatus(files);
        onLoaded.accept(rules);
        LOG.info("Rules reloaded from " + folder + ": " + files.keySet() + ", " + rules.ruleNames().size()
                + " rules");
    }

    private Status loadedStatus(Map<String, String> files) {
        List<FileStatus> states = files.keySet().stream()
                .map(name -> new FileStatus(name, "loaded", List.of())).toList();
        return new Status(clock.instant(), states, List.of(), running.ruleNames());
    }

    private Status errorStatus(Map<String, String> files, List<Problem> problems) {
        List<FileStatus> states = new ArrayList<>();
        for (String name : files.keySet()) {
            List<Problem> own = problems.stream().filter(p -> p.file().equals(name)).toList();
            String state = !own.isEmpty() ? "error"
                    : Optional.ofNullable(running.files().get(name)).filter(files.get(name)::equals).isPresent()
                    ? "loaded" : "stale";
            states.add(new FileStatus(name, state, own));
        }
        Instant loadedAt = status == null ? clock.instant() : status.loadedAt();
        return new Status(loadedAt, states, problems, running.ruleNames());
    }

    private static Problem problem(RuleFiles.NotText notText) {
        return new Problem(notText.file(), 0, 0, notText.getMessage());
    }

    private static String describe(List<Problem> problems) {
        StringBuilder text = new StringBuilder();
        problems.forEach(p -> text.append("\n  ").append(p));
        return text.toString();
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                // let a burst of events (an editor's save) settle
                WatchKey more;
                do {
                    key.pollEvents();
                    key.reset();
                    more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                    if (more != null) {
                        key = more;
                    }
                } while (more != null);
                reload();
            }
        } catch (InterruptedException | ClosedWatchServiceException stop) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Watching " + folder + " stopped: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Closing the watch of " + folder + ": " + e.getMessage(), e);
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
