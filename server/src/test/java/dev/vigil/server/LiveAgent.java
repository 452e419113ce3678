package dev.vigil.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * A real Vigil agent in the test JVM on a free loopback port, talking to the given system bus (a test
 * dbus-daemon with a stand-in systemd), with its action journal in a directory of the test. It reports no
 * filesystem, so the machine's own disks never reach a test's rules.
 */
public final class LiveAgent implements AutoCloseable {
    public static final String READ_TOKEN = "live-read-token";
    public static final String ACTION_TOKEN = "live-action-token";

    private final Agent agent;

    private LiveAgent(Agent agent) {
        this.agent = agent;
    }

    /** {@code settings} are agent keys ({@code vigil.agent.allowed.services}, …) on top of the test's defaults. */
    public static LiveAgent start(String busAddress, Path stateDir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                "vigil.agent.host", "127.0.0.1",
                "vigil.agent.port", "0",
                "vigil.agent.token", READ_TOKEN,
                "vigil.agent.action.token", ACTION_TOKEN,
                "vigil.agent.state.dir", stateDir.toString(),
                "vigil.agent.sample.interval", "500ms",
                // the test machine's own disks are no part of any test: a full one would open a disk incident
                "vigil.agent.filesystems.include.mountpoints", "/vigil-test-reports-no-disk",
                "dbus.system.bus.address", busAddress));
        all.putAll(settings);
        return new LiveAgent(Agent.start(AgentConfig.from(Config.just(ConfigSources.create(all)))));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + agent.port());
    }

    /** The host as POST /api/v1/hosts takes it, with both tokens and this policy JSON. */
    public String hostJson(String name, int intervalSeconds, String labelsJson, String policyJson) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url() + "\",\"token\":\"" + READ_TOKEN
                + "\",\"action_token\":\"" + ACTION_TOKEN + "\",\"interval_seconds\":" + intervalSeconds
                + ",\"labels\":" + labelsJson + ",\"policy\":" + policyJson + "}";
    }

    @Override
    public void close() {
        agent.close();
    }
}
