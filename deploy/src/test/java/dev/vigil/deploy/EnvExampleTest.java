package dev.vigil.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.vigil.agent.AgentConfig;
import dev.vigil.server.ServerConfig;
import dev.vigil.settings.Settings;
import dev.vigil.telegram.BotOptions;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

/**
 * {@code .env.example} lists every environment variable Vigil reads, and nothing else: the ones the programs' real
 * settings readers ask for, the ones the launchers and run.sh read, and the compose files' own. Each variable the
 * code reads is also documented, in docs/deploy.md or in the doc of a program that reads it.
 */
class EnvExampleTest {
    private static final Path ROOT = Path.of("..");
    /** {@code NAME=value} or {@code # NAME=value} (a commented-out default) at the start of a line. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^(?:#\\s*)?([A-Z][A-Z0-9_]*)=");
    /** {@code $NAME} or {@code ${NAME…}}: an environment variable a script reads (its locals are lowercase). */
    private static final Pattern SCRIPT_READ = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");
    /** The shell's and systemd's (Type=notify), not settings anyone writes. */
    private static final Set<String> SHELL = Set.of("PWD", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");
    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?error}}: a variable a compose file interpolates. */
    private static final Pattern COMPOSE_READ = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final List<String> COMPOSE_FILES = List.of("docker-compose.yml", "docker-compose.agent.yml");

    /** Each variable the code reads, with the docs where it may be documented. */
    private static Map<String, Set<String>> variablesRead() throws IOException {
        Map<String, Set<String>> read = new TreeMap<>();
        readBy(read, "docs/agent.md", AgentConfig::from, Map.of("vigil.agent.token", "t"));
        readBy(read, "docs/server.md", ServerConfig::from, Map.of());
        readBy(read, "docs/telegram.md", BotOptions::from, Map.of("vigil.server.api.token", "t"));
        Map<String, String> scripts = Map.of("monitor-agent/packaging/vigil-agent", "docs/agent.md",
                "server/packaging/vigil-server", "docs/server.md", "server/packaging/vigil-api-token", "docs/server.md",
                "telegram-bot/packaging/vigil-telegram-bot", "docs/telegram.md", "run.sh", "README.md");
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            for (String name : names(SCRIPT_READ, Files.readString(ROOT.resolve(script.getKey())))) {
                if (!SHELL.contains(name)) {
                    documentedIn(read, name, script.getValue());
                }
            }
        }
        return read;
    }

    /** What a program's settings reader asks for, given only the settings it cannot start without. */
    private static void readBy(Map<String, Set<String>> read, String doc, Consumer<Settings> reader,
                               Map<String, String> required) {
        Settings settings = Settings.of(Config.just(ConfigSources.create(required)));
        reader.accept(settings);
        settings.variables().forEach(name -> documentedIn(read, name, doc));
    }

    private static void documentedIn(Map<String, Set<String>> read, String name, String doc) {
        read.computeIfAbsent(name, n -> new TreeSet<>(Set.of("docs/deploy.md"))).add(doc);
    }

    private static Set<String> names(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The variables the compose files interpolate: the programs' they pass on, and their own (ports, passwords). */
    private static Set<String> composeVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String file : COMPOSE_FILES) {
            names.addAll(names(COMPOSE_READ, Files.readString(ROOT.resolve(file))));
        }
        return names;
    }

    private static Set<String> listed() throws IOException {
        return names(ASSIGNMENT, Files.readString(ROOT.resolve(".env.example")));
    }

    @Test
    void everyVariableTheCodeReadsIsListed() throws IOException {
        Set<String> missing = new TreeSet<>(variablesRead().keySet());
        missing.removeAll(listed());
        assertEquals(Set.of(), missing, "read by the code but not in .env.example");
    }

    @Test
    void everyListedVariableIsReadBySomething() throws IOException {
        Set<String> stale = new TreeSet<>(listed());
        stale.removeAll(variablesRead().keySet());
        stale.removeAll(composeVariables());
        assertEquals(Set.of(), stale, "in .env.example but read by nothing");
    }

    @Test
    void everyVariableTheComposeFilesUseIsListed() throws IOException {
        Set<String> missing = composeVariables();
        missing.removeAll(listed());
        assertEquals(Set.of(), missing, "interpolated by a compose file but not in .env.example");
    }

    @Test
    void everyVariableTheCodeReadsIsDocumented() throws IOException {
        Map<String, String> texts = new TreeMap<>();
        Map<String, Set<String>> undocumented = new TreeMap<>();
        for (Map.Entry<String, Set<String>> variable : variablesRead().entrySet()) {
            Pattern name = Pattern.compile("\\b" + variable.getKey() + "\\b");
            boolean documented = false;
            for (String doc : variable.getValue()) {
                documented |= name.matcher(texts.computeIfAbsent(doc, EnvExampleTest::read)).find();
            }
            if (!documented) {
                undocumented.put(variable.getKey(), variable.getValue());
            }
        }
        assertEquals(Map.of(), undocumented, "variables in none of their docs");
    }

    /** docker compose reads .env as KEY=VALUE lines and # comments; anything else is an error or a surprise. */
    @Test
    void isADotenvFileForDockerCompose() throws IOException {
        Pattern line = Pattern.compile("|#.*|[A-Z][A-Z0-9_]*=(?:[^\\s'\"#$]*|'[^']*')");
        List<String> bad = Files.readAllLines(ROOT.resolve(".env.example")).stream()
                .filter(l -> !line.matcher(l).matches()).toList();
        assertEquals(List.of(), bad, "lines docker compose would not read as KEY=VALUE or a comment");
        Set<String> active = Files.readAllLines(ROOT.resolve(".env.example")).stream()
                .filter(l -> !l.startsWith("#") && !l.isEmpty()).map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> composeOnly = composeVariables();
        composeOnly.removeAll(variablesRead().keySet());
        assertTrue(composeOnly.containsAll(active), "only the compose files' own variables are set; the programs' are "
                + "commented out, their defaults apply: " + active);
    }

    private static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
