package dev.vigil.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.rule.Rule;

/**
 * A compiled set of DRL files (name → text), ready to start sessions. Compiling never half-succeeds: either
 * every file compiles and there is a rule set, or there is the list of problems and nothing else.
 */
public final class RuleSet {
    private static final String RESOURCES = "src/main/resources/";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)", Pattern.MULTILINE);
    private static final AtomicLong COMPILATIONS = new AtomicLong();
    private static final Pattern STREAM_ONLY = Pattern.compile("window\\s*:\\s*time|@expires",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PARSER_POSITION = Pattern.compile("Line (\\d+):(\\d+)");

    /** What compiling gave: a rule set, or the problems that stopped it. */
    public sealed interface Compilation permits Compiled, Failed {
    }

    public record Compiled(RuleSet rules) implements Compilation {
    }

    public record Failed(List<Problem> problems) implements Compilation {
    }

    private final SortedMap<String, String> files;
    private final KieBase kieBase;

    private RuleSet(SortedMap<String, String> files, KieBase kieBase) {
        this.files = files;
        this.kieBase = kieBase;
    }

    public static Compilation compile(Map<String, String> files) {
        KieServices kie = KieServices.Factory.get();
        // A release of its own for every compilation: Drools keeps built modules in a process-wide repository
        // by release id, and a reload may compile while a validation does.
        ReleaseId release = kie.newReleaseId("dev.vigil", "rules", "1." + COMPILATIONS.incrementAndGet());
        KieFileSystem sources = kie.newKieFileSystem().generateAndWritePomXML(release);
        files.forEach((name, text) -> sources.write(RESOURCES + folder(text) + name, text));
        KieBuilder builder = kie.newKieBuilder(sources).buildAll();
        List<Problem> all = builder.getResults().getMessages(Message.Level.ERROR).stream().map(RuleSet::problem)
                .toList();
        // "Parser returned a null Package" only repeats that the file had a syntax error reported beside it
        List<Problem> problems = all.stream()
                .filter(p -> !(p.message().startsWith("Parser returned a null Package")
                        && all.stream().anyMatch(other -> other != p && other.file().equals(p.file()))))
                .sorted(Comparator.comparing(Problem::file).thenComparingInt(Problem::line)
                        .thenComparingInt(Problem::column))
                .toList();
        try {
            if (!problems.isEmpty()) {
                return new Failed(problems);
            }
            KieBaseConfiguration configuration = kie.newKieBaseConfiguration();
            // CLOUD, not STREAM: in stream mode every event inserted (each sample) is pushed through every rule it
            // joins at once, which made the rules 2.5 times slower; the temporal operators the rules use (after)
            // compare the events' timestamps and work alike, and DecisionSession expires remediations itself
            configuration.setOption(EventProcessingOption.CLOUD);
            KieBase kieBase;
            try {
                kieBase = kie.newKieContainer(release).newKieBase(configuration);
            } catch (RuntimeException e) {
                if (e.getMessage() == null || !e.getMessage().contains("STREAM mode")) {
                    throw e;
                }
                return new Failed(streamModeOnly(files));
            }
            return new Compiled(new RuleSet(new TreeMap<>(files), kieBase));
        } finally {
            kie.getRepository().removeKieModule(release);
        }
    }

    /** Where the rules use what only Drools' stream mode has: time windows and {@code @expires}. */
    private static List<Problem> streamModeOnly(Map<String, String> files) {
        String why = "needs Drools' stream mode (a time window or @expires), which Vigil's rules do not run in:"
                + " keep a Streak for a duration, see docs/rules.md";
        List<Problem> found = new ArrayList<>();
        new TreeMap<>(files).forEach((name, text) -> {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher feature = STREAM_ONLY.matcher(lines[i]);
                if (feature.find()) {
                    found.add(new Problem(name, i + 1, feature.start() + 1, "'" + feature.group() + "' " + why));
                }
            }
        });
        return found.isEmpty() ? List.of(new Problem("", 0, 0, "some rule " + why)) : found;
    }

    /**
     * The folder of a file's package: Drools warns about every file whose folder and package differ, and the
     * file's name in a problem is all that is ours of the path anyway.
     */
    private static String folder(String drl) {
        Matcher declared = PACKAGE.matcher(drl);
        return declared.find() ? declared.group(1).replace('.', '/') + "/" : "";
    }

    private static Problem problem(Message message) {
        // Drools names the file by its path below the module's resources: the folder is ours, the name theirs.
        String path = message.getPath() == null ? "" : message.getPath();
        String file = path.substring(path.lastIndexOf('/') + 1);
        String text = message.getText().strip();
        int line = Math.max(0, message.getLine());
        int column = Math.max(0, message.getColumn());
        // the parser's messages carry the column only in their text: "[ERR 101] Line 5:25 no viable …"
        Matcher where = PARSER_POSITION.matcher(text);
        if (column == 0 && where.find()) {
            line = Integer.parseInt(where.group(1));
            column = Integer.parseInt(where.group(2));
        }
        return new Problem(file, line, column, text);
    }

    /** The files this rule set was compiled from, by name. */
    public SortedMap<String, String> files() {
        return java.util.Collections.unmodifiableSortedMap(files);
    }

    /** Names of the rules, for listings. */
    public List<String> ruleNames() {
        return kieBase.getKiePackages().stream()
                .flatMap(pkg -> pkg.getRules().stream())
                .map(Rule::getName)
                .sorted()
                .toList();
    }

    /** The rules by {@link #id}: what a session asks when it moves to this rule set. */
    public Set<String> ruleIds() {
        return kieBase.getKiePackages().stream()
                .flatMap(pkg -> pkg.getRules().stream())
                .map(RuleSet::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A rule's name within its package: the same rule in the next rule set has the same id. */
    static String id(Rule rule) {
        return rule.getPackageName() + "/" + rule.getName();
    }

    KieBase kieBase() {
        return kieBase;
    }
}
