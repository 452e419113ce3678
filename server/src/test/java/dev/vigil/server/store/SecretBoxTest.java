package dev.vigil.server.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {
    @TempDir
    Path dataDir;

    @Test
    void sealedTokensOpenAgainAndNeverContainThePlainText() {
        SecretBox box = SecretBox.open(Optional.empty(), dataDir);
        byte[] sealed = box.seal("agent-read-token");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("agent-read-token"));
        assertEquals("agent-read-token", box.open(sealed));
        assertNotEquals(Base64.getEncoder().encodeToString(sealed),
                Base64.getEncoder().encodeToString(box.seal("agent-read-token")), "every seal has a fresh IV");
    }

    @Test
    void theGeneratedKeyIsPrivateToItsOwnerAndReusedAtTheNextStart() throws Exception {
        byte[] sealed = SecretBox.open(Optional.empty(), dataDir).seal("t");
        Path key = dataDir.resolve(SecretBox.KEY_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("t", SecretBox.open(Optional.empty(), dataDir).open(sealed));
    }

    @Test
    void aConfiguredKeyWinsAndAnotherKeyCannotOpen() {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] sealed = SecretBox.open(Optional.of(configured), dataDir).seal("t");
        IllegalStateException wrongKey = assertThrows(IllegalStateException.class,
                () -> SecretBox.open(Optional.empty(), dataDir).open(sealed));
        assertTrue(wrongKey.getMessage().contains("VIGIL_SECRET_KEY"));
    }

    @Test
    void aTamperedValueIsRefused() {
        SecretBox box = SecretBox.open(Optional.empty(), dataDir);
        byte[] sealed = box.seal("t");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(sealed));
    }

    @Test
    void aBadConfiguredKeyIsAClearError() {
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.open(Optional.of("not base64!"), dataDir));
        assertTrue(notBase64.getMessage().contains("openssl rand -base64 32"));
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.open(Optional.of(Base64.getEncoder().encodeToString(new byte[16])), dataDir));
        assertTrue(tooShort.getMessage().contains("32 bytes"));
    }
}
