package io.posunbind.keys;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
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
 * A key's id is its file name without {@code .key}. Other files (such as the {@code .tmp} files a killed
 * {@link #install} leaves) are ignored. On file systems with POSIX
 * permissions a key file that others (neither owner nor group) may read is refused, like {@code ssh}
 * refuses a readable private key.
 *
 * <p>To rotate: {@link #install(Path, DataKey)} a new key (it becomes current), then {@link #reload()}
 * the running provider or restart. Keep the old files as long as data encrypted under them is kept.
 *
 * <p>Thread-safe: the keys are read at {@link #open(Path)} and {@link #reload()} into an immutable
 * snapshot, so no lookup touches the disk.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class DirectoryDataKeyProvider implements DataKeyProvider {

    /** The file that names the current key. */
    public static final String CURRENT_FILE = "current";
    /** The suffix of key files. */
    public static final String KEY_SUFFIX = ".key";

    /** Files being written end so until moved into place; readers ignore them. */
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

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
     * is harmless; another key under an existing id is refused. A missing directory is created readable by
     * its owner only ({@code 0700} where the file system has POSIX permissions).
     *
     * <p>Crash-safe: each file is written under a temporary name, forced to the disk and moved into place
     * in one atomic step, the key file before {@code current}. A process killed at any point leaves either
     * the previous keys or the new ones; at worst an unused key file (a new key not yet current) or a
     * temporary file, which {@link #open} ignores.
     */
    public static void install(Path directory, DataKey key) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(key, "key");
        try {
            createOwnerOnlyDirectory(directory);
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

    /**
     * Opens the keys of a directory, first creating it with one new random key when it has no current key:
     * for a store that keeps its own keys. The new key's id is unique ({@code key-<date>-<random>}), so a
     * first start killed after writing the key file but before {@code current} leaves only an unused key
     * file, and the next start installs another key beside it instead of failing on it.
     *
     * @throws PosUnbindException {@link CoreErrorCode#DATA_KEY_INVALID} as {@link #open} and {@link #install}
     */
    public static DirectoryDataKeyProvider openOrCreate(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.exists(directory.resolve(CURRENT_FILE))) {
            SecureRandom random = new SecureRandom();
            String id = "key-" + LocalDate.now(ZoneOffset.UTC) + "-" + HexFormat.of().toHexDigits(random.nextInt());
            install(directory, DataKey.generate(id, random));
        }
        return open(directory);
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

    /** Creates the directory (and its parents) when missing; the directory itself for its owner only. */
    private static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean posix = Files.getFileStore(parent == null ? directory.toAbsolutePath().getRoot() : parent)
                .supportsFileAttributeView(PosixFileAttributeView.class);
        try {
            if (posix) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                // The process's umask cannot widen the mode given at creation, but be explicit anyway.
                Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /**
     * Writes a file readable by its owner only, so that a reader sees the old content or the new, whole
     * and on the disk: under a temporary name, forced to the disk, then moved into place in one step, and
     * the directory forced so the move itself survives a power failure.
     */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
        // A leftover of a process killed while writing: never read, safe to replace.
        Files.deleteIfExists(temporary);
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean posix = Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class);
        try (FileChannel channel = posix
                ? FileChannel.open(temporary, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                : FileChannel.open(temporary, options)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.getParent());
    }

    /** Makes a rename in the directory durable where the platform allows it (not on Windows). */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Directories cannot be opened or forced here; the file itself was forced before the move.
        }
    }

    private static PosUnbindException invalid(String message) {
        return new PosUnbindException(CoreErrorCode.DATA_KEY_INVALID, message);
    }

    private record Snapshot(String currentId, Map<String, DataKey> byId) {
    }
}
