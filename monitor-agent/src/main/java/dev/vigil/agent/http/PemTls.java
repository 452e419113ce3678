package dev.vigil.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TLS context of a PEM certificate chain (the server's certificate first) and its unencrypted PKCS#8
 * private key ({@code BEGIN PRIVATE KEY}: RSA, EC or EdDSA — what {@code openssl req -newkey … -nodes} writes).
 */
public final class PemTls {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static SSLContext context(Path certificate, Path key) {
        Certificate[] chain = chain(certificate);
        PrivateKey privateKey = privateKey(key, chain[0].getPublicKey().getAlgorithm());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("agent", privateKey, password, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the TLS key " + key + " does not fit the certificate " + certificate
                    + ": " + e.getMessage());
        }
    }

    private static Certificate[] chain(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the TLS certificate file " + file + " holds no certificate");
            }
            return certificates.toArray(Certificate[]::new);
        } catch (IOException e) {
            throw new IllegalArgumentException("the TLS certificate file " + file + " cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS certificate file " + file + " is not PEM certificates: "
                    + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("the TLS key file " + file + " cannot be read: " + e.getMessage());
        }
        Matcher pem = PKCS8.matcher(text);
        if (!pem.find()) {
            throw new IllegalArgumentException("the TLS key file " + file + " holds no unencrypted PKCS#8 key"
                    + " (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS key file " + file + " is not a " + algorithm
                    + " key for its certificate: " + e.getMessage());
        }
    }
}
