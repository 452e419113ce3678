package dev.vigil.server.agents;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the server checks agents' HTTPS certificates: the JVM's default trust, and the CA (or self-signed)
 * certificates of {@code VIGIL_AGENTS_CA_FILE}; a chain either accepts is trusted. Each check includes the
 * HTTP client's hostname verification: the certificate must name the address of the host's URL.
 */
public final class AgentTls {
    private AgentTls() {
    }

    /** The one TLS context of every client that talks to agents. */
    public static SSLContext context(List<X509Certificate> agentsCa) {
        try {
            List<X509ExtendedTrustManager> trust = new ArrayList<>();
            trust.add(trustManager(null));
            if (!agentsCa.isEmpty()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < agentsCa.size(); i++) {
                    store.setCertificateEntry("agents-ca-" + i, agentsCa.get(i));
                }
                trust.add(trustManager(store));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new EitherTrusts(trust)}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS to the agents: " + e.getMessage(), e);
        }
    }

    /**
     * What went wrong when a handshake with an agent failed, in one line without class names; empty when
     * {@code failure} is no TLS failure.
     */
    public static Optional<String> failure(Throwable failure) {
        boolean tls = false;
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            tls |= cause instanceof SSLException;
            if (cause instanceof CertPathBuilderException) {
                return Optional.of("TLS: the agent's certificate is not trusted (no path to a trusted CA; the"
                        + " server trusts the JVM's CAs and those of VIGIL_AGENTS_CA_FILE)");
            }
            root = cause;
        }
        return tls ? Optional.of("TLS: " + root.getMessage()) : Optional.empty();
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast)
                .findFirst()
                .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
    }

    /** Trusts what one of its trust managers trusts; when none does, the last one's refusal is thrown. */
    private static final class EitherTrusts extends X509ExtendedTrustManager {
        private interface Check {
            void run(X509ExtendedTrustManager trust) throws CertificateException;
        }

        private final List<X509ExtendedTrustManager> trust;

        EitherTrusts(List<X509ExtendedTrustManager> trust) {
            this.trust = List.copyOf(trust);
        }

        private void check(Check check) throws CertificateException {
            CertificateException refused = null;
            for (X509ExtendedTrustManager one : trust) {
                try {
                    check.run(one);
                    return;
                } catch (CertificateException e) {
                    if (refused != null) {
                        e.addSuppressed(refused);
                    }
                    refused = e;
                }
            }
            throw refused;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(one -> one.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(one -> one.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(one -> one.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(one -> one.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(one -> one.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(one -> one.checkClientTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.stream().flatMap(one -> Arrays.stream(one.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
