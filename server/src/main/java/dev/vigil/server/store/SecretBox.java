package dev.vigil.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (the agents' tokens, the Telegram bot token) with AES-256-GCM. A sealed value is
 * {@code version (1 byte) || IV (12 bytes) || ciphertext and tag}; a fresh random IV for every value.
 */
public final class SecretBox {
    private static final Logger LOG = Logger.getLogger(SecretBox.class.getName());
    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final String KEY_FILE = "secret.key";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key in {@code base64} when it is one this box takes (32 bytes), else empty. */
    public static Optional<byte[]> key(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.strip());
            return key.length == 32 ? Optional.of(key) : Optional.empty();
        } catch (IllegalArgumentException notBase64) { // the answer, not a failure
            return Optional.empty();
        }
    }

    /** The key from {@code VIGIL_SECRET_KEY}, else from {@code <data dir>/secret.key}, generated (0600) on first start. */
    public static SecretBox open(Optional<String> configuredKey, Path dataDir) {
        if (configuredKey.isPresent()) {
            return new SecretBox(decode(configuredKey.get(), "VIGIL_SECRET_KEY"));
        }
        Path file = dataDir.resolve(KEY_FILE);
        try {
            Files.createDirectories(dataDir);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                LOG.info("Generated the key that encrypts agent and bot tokens: " + file + " (keep it with the database backups)");
            } catch (FileAlreadyExistsException existing) {
                LOG.fine("Using the token key in " + file);
            }
            return new SecretBox(decode(Files.readString(file).strip(), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token key " + file, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        return key(base64).orElseThrow(() -> new IllegalArgumentException(source
                + " is not base64 of 32 bytes (make one with: openssl rand -base64 32)"));
    }

    public byte[] seal(String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** Fails when the value was sealed with another key or altered: GCM authenticates it. */
    public String open(byte[] sealed) {
        if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("not a sealed value of this version");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
            byte[] plain = cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored token cannot be decrypted: was VIGIL_SECRET_KEY changed?", e);
        }
    }
}
