package dev.vigil.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import dev.vigil.settings.Settings;
import dev.vigil.settings.SettingsSource;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/** Starts the Vigil agent: {@code java -jar vigil-agent.jar [--config FILE] [--help]}. */
public final class Main {
    static final String DEFAULTS = "application.properties";
    static final String HELP = """
            Usage: java -jar vigil-agent.jar [--config FILE] [--help]

            The Vigil monitor agent: serves this host's metrics to the Vigil server (and to Prometheus),
            and carries out the actions the server asks for, within its own policy.

            Settings come from environment variables (or the same keys in FILE, YAML or .properties, under vigil.agent):
              VIGIL_AGENT_TOKEN                 read token for /api/v1/metrics and /metrics     required
              VIGIL_AGENT_ACTION_TOKEN          token for POST /api/v1/actions                  unset: actions refused (403)
              VIGIL_AGENT_TOKEN_FILE, VIGIL_AGENT_ACTION_TOKEN_FILE
                                                instead: a file holding the token (secrets)     unset
              VIGIL_AGENT_HOST                  bind address                                    0.0.0.0
              VIGIL_AGENT_PORT                  port (0–65535; 0: any free port)                9130
              VIGIL_AGENT_ALLOWED_SERVICES      systemd units the agent may restart (comma list) none
              VIGIL_AGENT_WATCH_SERVICES        units reported in "services" (comma list)       the allowed ones
              VIGIL_AGENT_ALLOW_KILL            may it kill processes at all                    false
              VIGIL_AGENT_ALLOW_REBOOT          may it reboot the host                          false
              VIGIL_AGENT_KILLABLE_PROCESSES    process names it may kill (comma list)          any name
              VIGIL_AGENT_DRY_RUN               report what it would do, do nothing             false
              VIGIL_AGENT_RESTART_TIMEOUT       how long a restart may take to finish (1s–1h)   30s
              VIGIL_AGENT_KILL_GRACE            time after the signal before KILL (100ms–10m)   10s
              VIGIL_AGENT_STATE_DIR             where the action journal lives                  /var/lib/vigil-agent
              VIGIL_AGENT_PROCFS                the host's /proc (container mode: /host/proc)   /proc
              VIGIL_AGENT_SYSFS                 the host's /sys (container mode: /host/sys)     /sys
              VIGIL_AGENT_ROOTFS                the host's / (container mode: /host/root)       /
              VIGIL_AGENT_TLS_CERT              PEM certificate chain: serve HTTPS              off
              VIGIL_AGENT_TLS_KEY               PEM private key (PKCS#8) for the certificate    off
              VIGIL_AGENT_SAMPLE_INTERVAL       time between samples (500ms–1h)                 2s
              VIGIL_AGENT_TOP_PROCESSES         processes reported by CPU and by memory (1–100) 10
              VIGIL_AGENT_HISTORY               recent snapshots kept (0–7d; 0: none kept)      1h
              VIGIL_AGENT_SAVED_HISTORY_FILE    file that keeps them across restarts            off
              VIGIL_AGENT_FILESYSTEMS_INCLUDE_TYPES    only these filesystem types (comma list)  device-backed types
              VIGIL_AGENT_FILESYSTEMS_EXCLUDE_TYPES    never these types (comma list)           squashfs
              VIGIL_AGENT_FILESYSTEMS_EXCLUDE_MOUNTPOINTS  regex of mountpoints to skip         ^/(dev|proc|sys|run|snap|var/lib/docker|var/lib/containers)(/|$)
              VIGIL_AGENT_FILESYSTEMS_INCLUDE_MOUNTPOINTS  only these (comma list; beats the regex)  all
              VIGIL_AGENT_SMART_ENABLED         report SMART disk health via smartctl           false
              VIGIL_AGENT_SMART_COMMAND         the smartctl to run                             smartctl
              VIGIL_AGENT_SMART_INTERVAL        time between SMART checks (1m–1d)               10m
              VIGIL_AGENT_PUBLIC_IP_URL         a service answering this host's public IP as    off
                                                plain text (https://api.ipify.org)
              VIGIL_AGENT_PUBLIC_IP_INTERVAL    time between public IP lookups (1m–1d)          1h
              VIGIL_AGENT_PROBES                services to check, name=target (comma list):    none
                                                http://…, https://… (GET, 200-399 passes) or tcp://host:port;
                                                each vouches for the unit "name" (+ ".service" unless it has a suffix)
              VIGIL_AGENT_PROBE_TIMEOUT         how long one probe check may take (100ms–1m)    2s
              VIGIL_AGENT_EVENTS_HEARTBEAT      silence on /api/v1/events before a heartbeat    15s
                                                (100ms–10m)
              DBUS_SYSTEM_BUS_ADDRESS           the system bus (systemd, logind)                unix:path=/var/run/dbus/system_bus_socket

            Values: booleans are true or false (any case) and nothing else; durations 500ms, 2s, 10m, 8h, 7d or
            ISO-8601 (PT2S, P7D); whole numbers within their range; comma lists without empty items. Spaces around a
            value are stripped, and an empty value counts as unset. A value that cannot be read stops the agent with
            one line naming it and exit code 2; a VIGIL_AGENT_… variable that is no setting is named in a warning.

            Endpoints: /health/live, /health/ready (no token); /api/v1/metrics, /metrics,
            /api/v1/metrics/history?since=EPOCH_SECONDS, /api/v1/events (read token); POST /api/v1/actions (action
            token). See docs/agent.md.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        configureLogging();
        Logger log = Logger.getLogger(Main.class.getName());
        Agent agent;
        try {
            Settings settings = Settings.of(config(arguments));
            AgentConfig config = AgentConfig.from(settings);
            List<String> unknown = AgentConfig.unknownVariables(settings, System.getenv());
            if (!unknown.isEmpty()) {
                log.warning("Not settings of the agent, ignored (a typo? see --help): " + String.join(", ", unknown));
            }
            agent = Agent.start(config);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("vigil-agent: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("vigil-agent: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "vigil-shutdown"));
        log.info(() -> "Vigil agent " + Agent.version() + " serving on port " + agent.port());
    }

    /**
     * Environment, then system properties, then the file given with --config, then the bundled defaults. Without
     * --config the agent reads them itself and never loads Helidon config, which would cost it about 10 MiB of
     * resident memory for the rest of its life (docs/performance.md).
     */
    private static SettingsSource config(List<String> arguments) {
        int at = arguments.indexOf("--config");
        if (at < 0) {
            return SettingsSource.layered(System.getenv(), System.getProperties(), bundledDefaults());
        }
        if (at + 1 >= arguments.size()) {
            throw new IllegalArgumentException("--config needs a file");
        }
        Path file = Path.of(arguments.get(at + 1));
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("--config " + file + ": no such readable file");
        }
        return SettingsSource.of(Config.builder()
                .disableSystemPropertiesSource()
                .disableEnvironmentVariablesSource()
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.file(file))
                .addSource(ConfigSources.classpath(DEFAULTS))
                .build());
    }

    private static Map<String, String> bundledDefaults() {
        Properties defaults = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/" + DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the agent's jar");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + DEFAULTS, e);
        }
        Map<String, String> values = new HashMap<>();
        defaults.stringPropertyNames().forEach(name -> values.put(name, defaults.getProperty(name)));
        return values;
    }

    /** The bundled logging.properties, unless -Djava.util.logging.config.file named another (JUL read that one). */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("vigil-agent: cannot read the bundled logging.properties (" + e.getMessage()
                    + "); logging with the JDK's defaults");
        }
    }
}
