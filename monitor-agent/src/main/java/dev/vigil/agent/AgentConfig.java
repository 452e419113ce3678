package dev.vigil.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.vigil.agent.collect.Probe;
import dev.vigil.settings.Settings;
import dev.vigil.settings.SettingsException;
import io.helidon.config.Config;

/**
 * The agent's settings, read from the {@code vigil.agent} config subtree. Helidon maps environment variables
 * onto it ({@code VIGIL_AGENT_ALLOWED_SERVICES} → {@code vigil.agent.allowed.services}), so every key here has
 * an environment variable of the same name; {@link Main#HELP} lists them. Every value is read strictly
 * ({@link Settings}).
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
                          Set<String> includeMountpoints,
                          Optional<Smart> smart,
                          Optional<PublicIp> publicIp,
                          List<Probe> probes,
                          Duration probeTimeout,
                          String systemBusAddress,
                          Duration restartTimeout,
                          List<String> killableProcesses,
                          Duration killGrace,
                          Path stateDir,
                          Duration history,
                          Optional<Path> historyFile,
                          Duration eventsHeartbeat) {

    public static final int MAX_ACTION_BODY = 64 * 1024;
    static final String DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    /** Variables with the agent's prefix that are not settings: the launcher's (packaging/vigil-agent). */
    static final Set<String> NOT_SETTINGS = Set.of("VIGIL_AGENT_JVM_OPTS", "VIGIL_AGENT_JAR");

    public record Tls(Path certificate, Path key) {
    }

    public record Smart(String command, Duration interval) {
    }

    public record PublicIp(URI url, Duration interval) {
    }

    /** Reads and checks the settings; one that cannot be used is a {@link SettingsException} naming it. */
    public static AgentConfig from(Config root) {
        return from(Settings.of(root));
    }

    /** As {@link #from(Config)}, with {@code settings} remembering what was read (for {@link #unknownVariables}). */
    public static AgentConfig from(Settings settings) {
        Settings agent = settings.under("vigil.agent");
        String readToken = agent.secret("token").orElseThrow(() -> new SettingsException(agent.variable("token")
                + " is not set (nor " + agent.variable("token.file") + "): the agent does not start without a read"
                + " token (see --help)"));
        List<String> allowed = agent.list("allowed.services").orElse(List.of());
        boolean smartEnabled = agent.bool("smart.enabled", false);
        // read while SMART is off too: a wrong value is said at once, not on the day SMART is turned on
        Smart smart = new Smart(agent.text("smart.command", "smartctl"),
                agent.duration("smart.interval", Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1)));
        Duration history = history(agent);
        // Not HISTORY_FILE: vigil.agent.history would be a section as well as a value, which YAML cannot hold.
        Optional<Path> historyFile = agent.path("saved.history.file");
        if (history.isZero() && historyFile.isPresent()) {
            throw new SettingsException(agent.variable("saved.history.file") + " is set while " + agent.variable("history")
                    + " is 0 (off): there is no history to keep in it; unset one of them");
        }
        return new AgentConfig(
                agent.text("host", "0.0.0.0"),
                agent.integer("port", 9130, 0, 65535),
                readToken,
                agent.secret("action.token"),
                allowed,
                agent.list("watch.services").orElse(allowed),
                agent.bool("allow.kill", false),
                agent.bool("allow.reboot", false),
                agent.bool("dry.run", false),
                agent.path("procfs", Path.of("/proc")),
                agent.path("sysfs", Path.of("/sys")),
                agent.path("rootfs", Path.of("/")),
                tls(agent),
                agent.duration("sample.interval", Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofHours(1)),
                agent.integer("top.processes", 10, 1, 100),
                new LinkedHashSet<>(agent.list("filesystems.include.types").orElse(List.of())),
                new LinkedHashSet<>(agent.list("filesystems.exclude.types").orElse(List.of("squashfs"))),
                agent.pattern("filesystems.exclude.mountpoints",
                        "^/(dev|proc|sys|run|snap|var/lib/docker|var/lib/containers)(/|$)"),
                includeMountpoints(agent),
                smartEnabled ? Optional.of(smart) : Optional.empty(),
                publicIp(agent),
                probes(agent),
                agent.duration("probe.timeout", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(1)),
                settings.under("dbus.system.bus").text("address", DEFAULT_SYSTEM_BUS),
                agent.duration("restart.timeout", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1)),
                agent.list("killable.processes").orElse(List.of()),
                agent.duration("kill.grace", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(10)),
                agent.path("state.dir", Path.of("/var/lib/vigil-agent")),
                history,
                historyFile,
                agent.duration("events.heartbeat", Duration.ofSeconds(15), Duration.ofMillis(100),
                        Duration.ofMinutes(10)));
    }

    /**
     * The variables set in {@code environment} with the agent's prefix that {@code settings} did not read: likely
     * typos. The server's settings have other prefixes and are not the agent's concern.
     */
    public static List<String> unknownVariables(Settings settings, Map<String, String> environment) {
        return settings.unknownVariables(environment, "VIGIL_AGENT_", NOT_SETTINGS);
    }

    /** Read while the lookup is off too, as SMART's settings are: a wrong interval is said at once. */
    private static Optional<PublicIp> publicIp(Settings agent) {
        Duration interval = agent.duration("public.ip.interval", Duration.ofHours(1), Duration.ofMinutes(1),
                Duration.ofDays(1));
        return agent.url("public.ip.url", "http://", "https://").map(url -> {
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null) {
                    throw new URISyntaxException(url, "no host");
                }
                return new PublicIp(uri, interval);
            } catch (URISyntaxException e) {
                throw agent.invalid("public.ip.url", "is not a URL: " + e.getMessage());
            }
        });
    }

    /** Absolute mountpoints as /proc/self/mountinfo spells them: no trailing slash but for the root. */
    private static Set<String> includeMountpoints(Settings agent) {
        Set<String> mountpoints = new LinkedHashSet<>();
        for (String mountpoint : agent.list("filesystems.include.mountpoints").orElse(List.of())) {
            if (!mountpoint.startsWith("/") || (mountpoint.length() > 1 && mountpoint.endsWith("/"))) {
                throw agent.invalid("filesystems.include.mountpoints", "entry '" + mountpoint
                        + "' is not an absolute mountpoint without a trailing slash, such as / or /data");
            }
            mountpoints.add(mountpoint);
        }
        return mountpoints;
    }

    /** {@code name=target} entries: {@code nginx=http://127.0.0.1/healthz,redis=tcp://127.0.0.1:6379}. */
    private static List<Probe> probes(Settings agent) {
        List<Probe> probes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : agent.list("probes").orElse(List.of())) {
            Probe probe;
            try {
                probe = Probe.parse(entry);
            } catch (IllegalArgumentException e) {
                throw agent.invalid("probes", "entry " + e.getMessage());
            }
            if (!names.add(probe.name())) {
                throw agent.invalid("probes", "entry '" + entry + "': the name " + probe.name() + " is given twice");
            }
            probes.add(probe);
        }
        return probes;
    }

    /** How long snapshots are kept; {@code 0} (or any zero duration) turns the history off. */
    private static Duration history(Settings agent) {
        if (agent.text("history").filter("0"::equals).isPresent()) {
            return Duration.ZERO;
        }
        return agent.duration("history", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(7));
    }

    private static Optional<Tls> tls(Settings agent) {
        Optional<Path> cert = agent.path("tls.cert");
        Optional<Path> key = agent.path("tls.key");
        if (cert.isPresent() != key.isPresent()) {
            throw new SettingsException("HTTPS needs both " + agent.variable("tls.cert") + " and "
                    + agent.variable("tls.key"));
        }
        return cert.map(c -> new Tls(c, key.get()));
    }
}
