package dev.vigil.server.poll;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.agent.Agent;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestCertificates;
import dev.vigil.server.store.Host;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polls of real agents serving HTTPS with openssl-made certificates: trusted through VIGIL_AGENTS_CA_FILE (read by
 * the server's settings reader), refused without it, and refused when the certificate names another host.
 */
class AgentTlsTest {
    private static final Poller.Settings FAST = new Poller.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5),
            4, 3, 4 * 1024 * 1024);

    @TempDir
    Path dir;

    /** One poll of the agent by a poller that trusts what the server would with {@code caFile}. */
    private static HostStatus.LastPoll poll(Agent agent, Optional<Path> caFile) throws InterruptedException {
        ServerConfig config = ServerConfig.from(Config.just(ConfigSources.create(
                caFile.map(file -> Map.of("vigil.agents.ca.file", file.toString())).orElse(Map.of()))));
        try (Poller poller = new Poller(FAST, 3600, (hostId, answer, at) -> { }, Clock.systemUTC(),
                AgentTls.context(config.agentsCa()))) {
            poller.registered(new Host(1, "tls-host", URI.create("https://127.0.0.1:" + agent.port()),
                    Optional.of(3600), Optional.empty(), Map.of(), Host.Policy.NONE, false, Instant.now(),
                    Instant.now()), new Host.Credentials("read", Optional.empty()));
            return poller.refresh(1).orElseThrow();
        }
    }

    private static void assertOneLine(String detail) {
        assertFalse(detail.contains("\n") || detail.contains("Exception") || detail.contains("sun."), detail);
    }

    @Test
    void aSelfSignedAgentIsRefusedWithoutTheCaFileAndPolledWithItsCertificateInIt() throws Exception {
        TestCertificates.Pair self = new TestCertificates(dir).selfSigned("agent", "IP:127.0.0.1");
        try (Agent agent = self.agent("read")) {
            HostStatus.LastPoll refused = poll(agent, Optional.empty());
            assertEquals(PollOutcome.UNREACHABLE, refused.outcome(), refused.toString());
            assertTrue(refused.detail().startsWith("TLS: the agent's certificate is not trusted"), refused.detail());
            assertTrue(refused.detail().contains("VIGIL_AGENTS_CA_FILE"), refused.detail());
            assertOneLine(refused.detail());

            HostStatus.LastPoll trusted = poll(agent, Optional.of(self.certificate()));
            assertEquals(PollOutcome.OK, trusted.outcome(), trusted.toString());
        }
    }

    @Test
    void anAgentCertificateSignedByACaInTheFileIsTrustedAmongOtherCertificates() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        TestCertificates.Pair ca = certificates.ca("private-ca");
        TestCertificates.Pair other = certificates.ca("other-ca");
        TestCertificates.Pair leaf = certificates.signed(ca, "agent", "DNS:localhost,IP:127.0.0.1");
        Path bundle = certificates.bundle("bundle.pem", other, ca);
        try (Agent agent = leaf.agent("read")) {
            assertEquals(PollOutcome.OK, poll(agent, Optional.of(bundle)).outcome());
            HostStatus.LastPoll unrelated = poll(agent, Optional.of(other.certificate()));
            assertEquals(PollOutcome.UNREACHABLE, unrelated.outcome());
            assertTrue(unrelated.detail().startsWith("TLS: the agent's certificate is not trusted"),
                    unrelated.detail());
        }
    }

    @Test
    void aTrustedCertificateThatNamesAnotherHostIsRefused() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        TestCertificates.Pair ca = certificates.ca("private-ca");
        TestCertificates.Pair elsewhere = certificates.signed(ca, "elsewhere", "DNS:agent.example,IP:10.9.8.7");
        TestCertificates.Pair selfElsewhere = certificates.selfSigned("self-elsewhere", "DNS:agent.example");
        try (Agent agent = elsewhere.agent("read"); Agent selfSigned = selfElsewhere.agent("read")) {
            HostStatus.LastPoll refused = poll(agent, Optional.of(ca.certificate()));
            assertEquals(PollOutcome.UNREACHABLE, refused.outcome(), refused.toString());
            assertEquals("TLS: No subject alternative names matching IP address 127.0.0.1 found",
                    refused.detail());
            HostStatus.LastPoll pinned = poll(selfSigned, Optional.of(selfElsewhere.certificate()));
            assertEquals(PollOutcome.UNREACHABLE, pinned.outcome(), pinned.toString());
            assertTrue(pinned.detail().startsWith("TLS: No subject alternative names"), pinned.detail());
            assertOneLine(pinned.detail());
        }
    }
}
