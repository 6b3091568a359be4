package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditKeyProviderTest {

    /** Made with {@code openssl genpkey -algorithm ed25519} for this test only; it signs nothing real. */
    private static final String OPENSSL_PRIVATE_KEY = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEILrY9U/VhWkNuicn6hRYNzdRNY88sZjvUtPgCQM9/9cM
            -----END PRIVATE KEY-----
            """;
    /** {@code openssl pkey -in key.pem -pubout} of the key above. */
    private static final String OPENSSL_PUBLIC_KEY = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAe+P7N+7LquUE1m/9VVZxNoDy5nE/l7O20fT3dWrA8Tg=
            -----END PUBLIC KEY-----
            """;
    /** {@code openssl pkeyutl -sign -rawin} of "hello" with the key above, base64. */
    private static final String OPENSSL_SIGNATURE_OF_HELLO =
            "hXqzTGaAvUgqsQPt2WciF0YeOe2E2qH+IN8oVoG5rYeAzjFWgwIu0fwHFLXWm+BxTrU89k0xaJpZzsyEAY3RBQ==";

    @TempDir
    Path directory;

    @Test
    void aGeneratedKeyIsWrittenAsPemAndReadBackTheSame() throws IOException {
        FileAuditKeyProvider generated = FileAuditKeyProvider.generate(directory, "audit-1");
        String privatePem = Files.readString(directory.resolve("audit-1.key.pem"));
        String publicPem = Files.readString(directory.resolve("audit-1.pub.pem"));
        // PKCS#8 version 1, as OpenSSL writes and reads it: the same 16-byte DER prefix as OPENSSL_PRIVATE_KEY.
        assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"), privatePem);
        assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals("audit-1\n", Files.readString(directory.resolve("current-key")));

        FileAuditKeyProvider reopened = FileAuditKeyProvider.open(directory);
        assertEquals("audit-1", reopened.currentSigningKey().keyId());
        assertEquals(generated.currentSigningKey().publicKey(), reopened.currentSigningKey().publicKey());
        assertEquals(List.of(generated.currentSigningKey().publicKey()), reopened.publicKeys());

        byte[] message = "checkpoint".getBytes(StandardCharsets.UTF_8);
        byte[] signature = reopened.currentSigningKey().sign(message);
        assertEquals(64, signature.length);
        assertTrue(generated.currentSigningKey().publicKey().verifies(message, signature));
        assertArrayEquals(signature, generated.currentSigningKey().sign(message), "Ed25519 is deterministic");
    }

    @Test
    void thePrivateKeyFileIsReadableByItsOwnerOnly() throws IOException {
        FileAuditKeyProvider.generate(directory, "audit-1");
        Path privateFile = directory.resolve("audit-1.key.pem");
        if (Files.getFileStore(privateFile).supportsFileAttributeView("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(privateFile));
        }
    }

    @Test
    void keysMadeWithOpenSslAreRead() throws IOException {
        Files.writeString(directory.resolve("ossl.key.pem"), OPENSSL_PRIVATE_KEY);
        Files.writeString(directory.resolve("ossl.pub.pem"), OPENSSL_PUBLIC_KEY);
        FileAuditKeyProvider keys = FileAuditKeyProvider.open(directory);

        AuditSigningKey key = keys.currentSigningKey();
        assertEquals("ossl", key.keyId());
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        // Ed25519 is deterministic, so our signature must equal OpenSSL's byte for byte.
        assertEquals(OPENSSL_SIGNATURE_OF_HELLO, Base64.getEncoder().encodeToString(key.sign(hello)));
        assertTrue(keys.publicKey("ossl").orElseThrow().verifies(hello, Base64.getDecoder().decode(OPENSSL_SIGNATURE_OF_HELLO)));
        assertEquals(OPENSSL_PUBLIC_KEY, key.publicKey().pem(), "our public key PEM is OpenSSL's");
    }

    @Test
    void thePublicKeyFingerprintIsTheSha256OfItsDer() {
        AuditPublicKey key = AuditPublicKey.fromPem("ossl", OPENSSL_PUBLIC_KEY);
        // openssl pkey -pubin -in ossl.pub.pem -outform DER | sha256sum
        assertEquals(64, key.fingerprint().length());
        assertEquals(key.fingerprint(), AuditPublicKey.fromPem("other-id", OPENSSL_PUBLIC_KEY.replace("\n", "\r\n")).fingerprint());
    }

    @Test
    void aDirectoryWithPublicKeysOnlyServesVerification() throws IOException {
        Files.writeString(directory.resolve("ossl.pub.pem"), OPENSSL_PUBLIC_KEY);
        FileAuditKeyProvider keys = FileAuditKeyProvider.open(directory);
        assertTrue(keys.publicKey("ossl").isPresent());
        PosUnbindException failure = assertThrows(PosUnbindException.class, keys::currentSigningKey);
        assertEquals(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, failure.errorCode());
        assertEquals(1, FileAuditKeyProvider.readPublicKeys(directory).size());
    }

    @Test
    void aPrivateKeyThatDoesNotMatchItsPublicFileIsRefused() throws IOException {
        FileAuditKeyProvider.generate(directory, "audit-1");
        Files.writeString(directory.resolve("audit-1.pub.pem"), OPENSSL_PUBLIC_KEY);
        assertKeyUnavailable(() -> FileAuditKeyProvider.open(directory), "do not belong together");
    }

    @Test
    void brokenFilesAreReportedByName() throws IOException {
        Files.writeString(directory.resolve("bad.pub.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertKeyUnavailable(() -> FileAuditKeyProvider.open(directory), "bad.pub.pem");

        Files.delete(directory.resolve("bad.pub.pem"));
        Files.writeString(directory.resolve("rsa.key.pem"), "not a pem at all");
        assertKeyUnavailable(() -> FileAuditKeyProvider.open(directory), "rsa.key.pem");
    }

    @Test
    void severalPrivateKeysWithoutCurrentKeyFileAreAmbiguous() throws IOException {
        Files.writeString(directory.resolve("a.key.pem"), OPENSSL_PRIVATE_KEY);
        Files.writeString(directory.resolve("b.key.pem"), OPENSSL_PRIVATE_KEY);
        assertKeyUnavailable(() -> FileAuditKeyProvider.open(directory), "current-key");
        Files.writeString(directory.resolve("current-key"), "b\n");
        assertEquals("b", FileAuditKeyProvider.open(directory).currentSigningKey().keyId());
        Files.writeString(directory.resolve("current-key"), "../etc/passwd\n");
        assertKeyUnavailable(() -> FileAuditKeyProvider.open(directory), "does not hold a key id");
    }

    @Test
    void aKeyIdIsNeverReused() {
        FileAuditKeyProvider keys = FileAuditKeyProvider.generate(directory, "audit-1");
        assertKeyUnavailable(() -> keys.rotate("audit-1"), "exists already");
        assertThrows(IllegalArgumentException.class, () -> keys.rotate("../audit-2"));
        assertThrows(IllegalArgumentException.class, () -> FileAuditKeyProvider.generate(directory, ".hidden"));
    }

    @Test
    void theSigningKeyNeverPrintsItsSecret() {
        AuditSigningKey key = FileAuditKeyProvider.generate(directory, "audit-1").currentSigningKey();
        assertEquals("Ed25519SigningKey[audit-1]", key.toString());
        assertFalse(FileAuditKeyProvider.open(directory).toString().contains("PRIVATE"));
    }

    private static void assertKeyUnavailable(org.junit.jupiter.api.function.Executable action, String messagePart) {
        PosUnbindException failure = assertThrows(PosUnbindException.class, action);
        assertEquals(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, failure.errorCode());
        assertTrue(failure.getMessage().contains(messagePart), failure.getMessage());
    }
}
