package dev.vigil.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.vigil.agent.collect.Probe;
import io.helidon.config.Config;

/**
 * The agent's settings, read from the {@code vigil.agent} config subtree. Helidon maps environment variables
 * onto it ({@code VIGIL_AGENT_ALLOWED_SERVICES} → {@code vigil.agent.allowed.services}), so every key here has
 * an environment variable of the same name; {@link Main#HELP} lists them.
 */
public record AgentConfig(String host,
                          int port,
                          String readToken,
                          Optional<String> actionToken,
                          List<String> allowedServices,
                          List<String> watchServices,
                          boolean allowKill,
                          boolean allowReboot,
                          boolean dryRun,
                          Path procfs,
                          Path sysfs,
                          Path rootfs,
                          Optional<Tls> tls,
                          Duration sampleInterval,
                          int topProcesses,
                          Set<String> includeFilesystemTypes,
                          Set<String> excludeFilesystemTypes,
                          Pattern excludeMountpoints,
                          Optional<Smart> smart,
                          List<Probe> probes,
                          Duration probeTimeout,
                          String systemBusAddress,
                          Duration restartTimeout,
                          List<String> killableProcesses,
                          Duration killGrace,
                          Path stateDir) {

    public static final int MAX_ACTION_BODY = 64 * 1024;
    static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public record Tls(Path certificate, Path key) {
    }

    public record Smart(String command, Duration interval) {
    }

    /** Reads and checks the settings; a setting that makes no sense is an {@link IllegalArgumentException}. */
    public static AgentConfig from(Config root) {
        Config agent = root.get("vigil.agent");
        String readToken = text(agent, "token").orElseThrow(() -> new IllegalArgumentException(
                "VIGIL_AGENT_TOKEN is not set: the agent does not start without a read token (see --help)"));
        List<String> allowed = list(agent, "allowed.services");
        Optional<Tls> tls = tls(agent);
        Optional<Smart> smart = agent.get("smart.enabled").asBoolean().orElse(false)
                ? Optional.of(new Smart(text(agent, "smart.command").orElse("smartctl"),
                        duration(agent, "smart.interval", Duration.ofMinutes(10))))
                : Optional.empty();
        Duration interval = duration(agent, "sample.interval", Duration.ofSeconds(2));
        if (interval.toMillis() < 500) {
            throw new IllegalArgumentException("VIGIL_AGENT_SAMPLE_INTERVAL must be at least 500ms, not " + interval);
        }
        Duration restartTimeout = positive(agent, "restart.timeout", Duration.ofSeconds(30));
        Duration killGrace = positive(agent, "kill.grace", Duration.ofSeconds(10));
        int port = agent.get("port").asInt().orElse(9130);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("VIGIL_AGENT_PORT must be 0–65535, not " + port);
        }
        int top = agent.get("top.processes").asInt().orElse(10);
        if (top < 1 || top > 100) {
            throw new IllegalArgumentException("VIGIL_AGENT_TOP_PROCESSES must be 1–100, not " + top);
        }
        return new AgentConfig(
                text(agent, "host").orElse("0.0.0.0"),
                port,
                readToken,
                text(agent, "action.token"),
                allowed,
                agent.get("watch.services").exists() ? list(agent, "watch.services") : allowed,
                agent.get("allow.kill").asBoolean().orElse(false),
                agent.get("allow.reboot").asBoolean().orElse(false),
                agent.get("dry.run").asBoolean().orElse(false),
                Path.of(text(agent, "procfs").orElse("/proc")),
                Path.of(text(agent, "sysfs").orElse("/sys")),
                Path.of(text(agent, "rootfs").orElse("/")),
                tls,
                interval,
                top,
                new LinkedHashSet<>(list(agent, "filesystems.include.types")),
                new LinkedHashSet<>(agent.get("filesystems.exclude.types").exists()
                        ? list(agent, "filesystems.exclude.types") : List.of("squashfs")),
                pattern(text(agent, "filesystems.exclude.mountpoints")
                        .orElse("^/(dev|proc|sys|run|snap|var/lib/docker|var/lib/containers)(/|$)")),
                smart,
                probes(agent),
                positive(agent, "probe.timeout", Duration.ofSeconds(2)),
                text(root.get("dbus.system.bus"), "address").orElse(DEFAULT_SYSTEM_BUS),
                restartTimeout,
                list(agent, "killable.processes"),
                killGrace,
                Path.of(text(agent, "state.dir").orElse("/var/lib/vigil-agent")));
    }

    private static Optional<String> text(Config node, String key) {
        return node.get(key).asString().asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }

    /** A comma list, as environment variables carry lists ({@code nginx.service,redis.service}). */
    private static List<String> list(Config node, String key) {
        Config value = node.get(key);
        if (value.isList()) {
            return value.asList(String.class).get().stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
        }
        return text(node, key).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
    }

    /** Accepts {@code 2s}, {@code 500ms}, {@code 10m}, {@code 1h} and ISO-8601 ({@code PT2S}). */
    static Duration duration(Config node, String key, Duration fallback) {
        Optional<String> value = text(node, key);
        if (value.isEmpty()) {
            return fallback;
        }
        Matcher shortForm = SHORT_DURATION.matcher(value.get());
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value.get());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(environmentName(key) + " must be a duration such as 2s, 500ms or PT2S,"
                    + " not '" + value.get() + "'");
        }
    }

    /** {@code name=target} entries: {@code nginx=http://127.0.0.1/healthz,redis=tcp://127.0.0.1:6379}. */
    private static List<Probe> probes(Config agent) {
        List<Probe> probes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : list(agent, "probes")) {
            Probe probe;
            try {
                probe = Probe.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("VIGIL_AGENT_PROBES entry " + e.getMessage());
            }
            if (!names.add(probe.name())) {
                throw new IllegalArgumentException("VIGIL_AGENT_PROBES entry '" + entry + "': the name "
                        + probe.name() + " is given twice");
            }
            probes.add(probe);
        }
        return probes;
    }

    private static Duration positive(Config node, String key, Duration fallback) {
        Duration value = duration(node, key, fallback);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(environmentName(key) + " must be longer than zero, not " + value);
        }
        return value;
    }

    private static String environmentName(String key) {
        return "VIGIL_AGENT_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static Optional<Tls> tls(Config agent) {
        Optional<String> cert = text(agent, "tls.cert");
        Optional<String> key = text(agent, "tls.key");
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("HTTPS needs both VIGIL_AGENT_TLS_CERT and VIGIL_AGENT_TLS_KEY");
        }
        return cert.map(c -> new Tls(Path.of(c), Path.of(key.get())));
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("VIGIL_AGENT_FILESYSTEMS_EXCLUDE_MOUNTPOINTS is not a valid regular"
                    + " expression: " + e.getDescription());
        }
    }
}
