package io.posunbind.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDataKeyProviderTest {

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path directory;

    @Test
    void readsInstalledKeysAndRotates() {
        DataKey first = DataKey.generate("2025-01", random);
        DirectoryDataKeyProvider.install(directory, first);
        DirectoryDataKeyProvider keys = DirectoryDataKeyProvider.open(directory);
        assertEquals(first, keys.currentKey());

        DataKey second = DataKey.generate("2025-06", random);
        DirectoryDataKeyProvider.install(directory, second);
        assertEquals(first, keys.currentKey(), "nothing changes until reload");
        keys.reload();
        assertEquals(second, keys.currentKey());
        assertEquals(Optional.of(first), keys.key("2025-01"), "the retired key is still readable");
        assertFalse(keys.toString().contains(second.toBase64()));
    }

    @Test
    void installedFilesAreOwnerOnly() throws IOException {
        assumeTrue(Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null);
        DirectoryDataKeyProvider.install(directory, DataKey.generate("k", random));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("k.key"))));
    }

    @Test
    void installingAnotherKeyUnderAnExistingIdIsRefused() {
        DirectoryDataKeyProvider.install(directory, DataKey.generate("k", random));
        PosUnbindException e = assertThrows(PosUnbindException.class,
                () -> DirectoryDataKeyProvider.install(directory, DataKey.generate("k", random)));
        assertEquals(CoreErrorCode.DATA_KEY_INVALID, e.errorCode());
    }

    @Test
    void missingDirectoryOrCurrentFileIsCoded() throws IOException {
        assertCode(directory.resolve("nowhere"), "does not exist");
        writeKeyFile("k", DataKey.generate("k", random).toBase64());
        assertCode(directory, "current");
        Files.writeString(directory.resolve("current"), "other\n");
        assertCode(directory, "names a key that has no file other.key");
    }

    @Test
    void malformedKeyFilesAreCodedWithoutTheirContent() throws IOException {
        writeKeyFile("k", "this-is-not-base64!");
        Files.writeString(directory.resolve("current"), "k");
        PosUnbindException e = assertCode(directory, "not valid base64");
        assertFalse(e.getMessage().contains("this-is-not"));

        writeKeyFile("k", "AAAA");
        assertCode(directory, "has 3 bytes");
    }

    @Test
    void keyFilesReadableByAllAreRefused() throws IOException {
        assumeTrue(Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null);
        DirectoryDataKeyProvider.install(directory, DataKey.generate("k", random));
        Files.setPosixFilePermissions(directory.resolve("k.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertCode(directory, "accessible to all users");
    }

    @Test
    void brokenReloadKeepsThePreviousKeys() throws IOException {
        DataKey key = DataKey.generate("k", random);
        DirectoryDataKeyProvider.install(directory, key);
        DirectoryDataKeyProvider keys = DirectoryDataKeyProvider.open(directory);
        Files.writeString(directory.resolve("current"), "gone");
        assertThrows(PosUnbindException.class, keys::reload);
        assertEquals(key, keys.currentKey());
    }

    @Test
    void otherFilesAreIgnored() throws IOException {
        DirectoryDataKeyProvider.install(directory, DataKey.generate("k", random));
        Files.writeString(directory.resolve("README"), "keys live here");
        assertTrue(DirectoryDataKeyProvider.open(directory).key("README").isEmpty());
    }

    // --- crash safety and permissions (issue 9) ---

    /** A first start killed after writing the key file, before {@code current}: the next start opens. */
    @Test
    void aFirstStartKilledBeforeTheCurrentKeyWasNamedOpensOnTheNextStart() throws IOException {
        writeKeyFile("orphan", DataKey.generate("orphan", random).toBase64());

        DirectoryDataKeyProvider keys = DirectoryDataKeyProvider.openOrCreate(directory);

        assertFalse(keys.currentKey().id().equals("orphan"), "an unused orphan never becomes current by itself");
        assertEquals(keys.currentKey(), DirectoryDataKeyProvider.openOrCreate(directory).currentKey(),
                "the key made on the next start stays current");
    }

    /** Temporary files of an install killed before its move are ignored, and the next install replaces them. */
    @Test
    void temporaryFilesLeftByAKilledInstallDoNotPreventOpening() throws IOException {
        DataKey key = DataKey.generate("k", random);
        DirectoryDataKeyProvider.install(directory, key);
        Files.writeString(directory.resolve("current.tmp"), "half-writ");
        writeKeyFile("next", "");
        Files.move(directory.resolve("next.key"), directory.resolve("next.key.tmp"));

        assertEquals(key, DirectoryDataKeyProvider.open(directory).currentKey());
        DataKey next = DataKey.generate("next", random);
        DirectoryDataKeyProvider.install(directory, next);
        assertEquals(next, DirectoryDataKeyProvider.open(directory).currentKey());
    }

    @Test
    void aKeyFolderCreatedByInstallIsForItsOwnerOnly() throws IOException {
        assumeTrue(Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null);
        Path keys = directory.resolve("secrets").resolve("posunbind-keys");

        DirectoryDataKeyProvider.openOrCreate(keys);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        try (var files = Files.list(keys)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                        file.getFileName().toString());
            }
        }
    }

    private void writeKeyFile(String id, String content) throws IOException {
        Path file = directory.resolve(id + ".key");
        Files.writeString(file, content);
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static PosUnbindException assertCode(Path directory, String messagePart) {
        PosUnbindException e = assertThrows(PosUnbindException.class, () -> DirectoryDataKeyProvider.open(directory));
        assertEquals(CoreErrorCode.DATA_KEY_INVALID, e.errorCode());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        return e;
    }
}
