package io.posunbind.keys;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keys kept as files in one directory, one key per file:
 * <pre>
 * keys/
 *   current        the id of the current key, for example "2025-06"
 *   2025-01.key    base64 of 32 random bytes (retired, still read)
 *   2025-06.key    base64 of 32 random bytes (current)
 * </pre>
 * A key's id is its file name without {@code .key}. Other files are ignored. On file systems with POSIX
 * permissions a key file that others (neither owner nor group) may read is refused, like {@code ssh}
 * refuses a readable private key.
 *
 * <p>To rotate: {@link #install(Path, DataKey)} a new key (it becomes current), then {@link #reload()}
 * the running provider or restart. Keep the old files as long as data encrypted under them is kept.
 *
 * <p>Thread-safe: the keys are read at {@link #open(Path)} and {@link #reload()} into an immutable
 * snapshot, so no lookup touches the disk.
 */
public final class DirectoryDataKeyProvider implements DataKeyProvider {

    /** The file that names the current key. */
    public static final String CURRENT_FILE = "current";
    /** The suffix of key files. */
    public static final String KEY_SUFFIX = ".key";

    private final Path directory;
    private volatile Snapshot snapshot;

    private DirectoryDataKeyProvider(Path directory, Snapshot snapshot) {
        this.directory = directory;
        this.snapshot = snapshot;
    }

    /**
     * Reads every key in the directory.
     *
     * @throws PosUnbindException {@link CoreErrorCode#DATA_KEY_INVALID} when the directory, the current-key
     *         file or a key file is missing, unreadable, malformed or readable by others
     */
    public static DirectoryDataKeyProvider open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new DirectoryDataKeyProvider(directory, read(directory));
    }

    /**
     * Reads the directory again, for example after {@link #install(Path, DataKey)}. When the directory is
     * broken the provider keeps its previous keys and the exception says what is wrong.
     */
    public void reload() {
        snapshot = read(directory);
    }

    @Override
    public DataKey currentKey() {
        Snapshot keys = snapshot;
        return keys.byId.get(keys.currentId);
    }

    @Override
    public Optional<DataKey> key(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return Optional.ofNullable(snapshot.byId.get(keyId));
    }

    /**
     * Writes a key file readable by its owner only and makes the key current. Writing the same key again
     * is harmless; another key under an existing id is refused.
     */
    public static void install(Path directory, DataKey key) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(key, "key");
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(key.id() + KEY_SUFFIX);
            if (Files.exists(file)) {
                if (!readKey(file, key.id()).equals(key)) {
                    throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID, "Key file " + file
                            + " holds another key; a key id must always name the same key, choose a new id");
                }
            } else {
                writeOwnerOnly(file, key.toBase64());
            }
            writeOwnerOnly(directory.resolve(CURRENT_FILE), key.id() + "\n");
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID,
                    "Cannot write key " + key.id() + " into " + directory + ": " + e.getMessage(), null, e);
        }
    }

    /** The directory and the key ids, never the keys. */
    @Override
    public String toString() {
        Snapshot keys = snapshot;
        return "DirectoryDataKeyProvider[" + directory + ", current=" + keys.currentId + ", keys="
                + keys.byId.keySet() + "]";
    }

    private static Snapshot read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw invalid("Key directory " + directory + " does not exist or is not a directory");
        }
        Map<String, DataKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + KEY_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - KEY_SUFFIX.length());
                if (!DataKey.isValidId(id)) {
                    throw invalid("Key file " + file + " is not named <id>.key with an id of 1 to 64 characters"
                            + " from [A-Za-z0-9._-]");
                }
                keys.put(id, readKey(file, id));
            }
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID,
                    "Cannot list key directory " + directory + ": " + e.getMessage(), null, e);
        }
        Path currentFile = directory.resolve(CURRENT_FILE);
        String currentId;
        try {
            currentId = Files.readString(currentFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID, "Cannot read " + currentFile
                    + "; it must hold the id of the current key (" + e.getClass().getSimpleName() + ")", null, e);
        }
        if (!keys.containsKey(currentId)) {
            throw invalid(currentFile + " names a key that has no file " + (DataKey.isValidId(currentId)
                    ? currentId + KEY_SUFFIX : "(not a valid key id)") + " in " + directory);
        }
        return new Snapshot(currentId, Map.copyOf(keys));
    }

    private static DataKey readKey(Path file, String id) {
        requireNotReadableByOthers(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // Neither the exception's message nor ours quote the file's content.
            throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID,
                    "Cannot read key file " + file + " (" + e.getClass().getSimpleName() + ")", null, null);
        }
        return DataKey.fromBase64(id, text);
    }

    private static void requireNotReadableByOthers(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // no POSIX permissions on this file system (Windows): rely on its ACLs
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID,
                    "Cannot read the permissions of key file " + file, null, e);
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw invalid("Key file " + file + " is accessible to all users (" + PosixFilePermissions.toString(
                    permissions) + "); restrict it, for example chmod 600");
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        // Readers must never see a half-written key or current-key file.
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static PosUnbindException invalid(String message) {
        return new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID, message);
    }

    private record Snapshot(String currentId, Map<String, DataKey> byId) {
    }
}
