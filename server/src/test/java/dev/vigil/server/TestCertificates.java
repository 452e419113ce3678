package dev.vigil.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.agent.TestSupport;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificates and PEM keys made by openssl in a test's directory, as the agent's TLS test makes them. */
public final class TestCertificates {
    /** A certificate and its PKCS#8 key, as VIGIL_AGENT_TLS_CERT / VIGIL_AGENT_TLS_KEY take them. */
    public record Pair(Path certificate, Path key) {
        /** A real agent on a free loopback port, serving HTTPS with this certificate and key. */
        public Agent agent(String readToken) {
            return Agent.start(AgentConfig.from(Config.just(ConfigSources.create(Map.of(
                    "vigil.agent.host", "127.0.0.1", "vigil.agent.port", "0", "vigil.agent.token", readToken,
                    "vigil.agent.tls.cert", certificate.toString(), "vigil.agent.tls.key", key.toString())))));
        }
    }

    private final Path dir;
    private final Path openssl;

    public TestCertificates(Path dir) {
        this.dir = dir;
        this.openssl = TestSupport.requireProgram("openssl", "openssl");
    }

    /** A self-signed server certificate naming {@code subjectAltName} ({@code IP:127.0.0.1}, {@code DNS:x}). */
    public Pair selfSigned(String name, String subjectAltName) throws Exception {
        Pair pair = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key().toString(), "-out",
                pair.certificate().toString(), "-days", "1", "-subj", "/CN=" + name, "-addext",
                "subjectAltName=" + subjectAltName);
        return pair;
    }

    /** A CA certificate that can sign server certificates. */
    public Pair ca(String name) throws Exception {
        Pair pair = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key().toString(), "-out",
                pair.certificate().toString(), "-days", "1", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        return pair;
    }

    /** A server certificate signed by {@code ca}, naming {@code subjectAltName}. */
    public Pair signed(Pair ca, String name, String subjectAltName) throws Exception {
        Pair pair = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        Path request = dir.resolve(name + ".csr");
        Path extensions = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\n");
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key().toString(), "-out", request.toString(),
                "-subj", "/CN=" + name);
        run("x509", "-req", "-in", request.toString(), "-CA", ca.certificate().toString(), "-CAkey",
                ca.key().toString(), "-CAcreateserial", "-out", pair.certificate().toString(), "-days", "1",
                "-extfile", extensions.toString());
        return pair;
    }

    /** The certificates of {@code pairs} in one PEM file, with a comment line before each as CA bundles have. */
    public Path bundle(String name, Pair... pairs) throws IOException {
        StringBuilder pem = new StringBuilder();
        for (Pair pair : pairs) {
            pem.append("# ").append(pair.certificate().getFileName()).append('\n')
                    .append(Files.readString(pair.certificate()));
        }
        return Files.writeString(dir.resolve(name), pem);
    }

    private void run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }
}
