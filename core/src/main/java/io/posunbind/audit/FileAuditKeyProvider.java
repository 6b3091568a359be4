package io.posunbind.audit;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.audit.AuditFields;
import io.posunbind.internal.audit.Ed25519SigningKey;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Audit keys kept as PEM files in one directory:
 * <ul>
 *   <li>{@code <keyId>.key.pem}: an Ed25519 private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----});</li>
 *   <li>{@code <keyId>.pub.pem}: its public key, X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----});</li>
 *   <li>{@code current-key}: the id of the key that signs new checkpoints.</li>
 * </ul>
 * The files are the ones OpenSSL writes ({@code openssl genpkey -algorithm ed25519 -out k1.key.pem},
 * {@code openssl pkey -in k1.key.pem -pubout -out k1.pub.pem}), so keys can also be made and checked
 * with it. {@link #rotate} adds a new key and makes it current; older public keys stay, so older
 * checkpoints keep verifying. A retired private key is no longer read and may be deleted or archived.
 * A directory with public keys only serves verification ({@link #currentSigningKey()} then fails).
 *
 * <p>Private keys are not encrypted at rest: protect the directory (the provider creates private key files
 * readable by their owner only, where the file system has POSIX permissions), or keep the key in an HSM
 * behind your own {@link AuditKeyProvider}.
 *
 * <p>Thread-safe. The files are read when the provider is opened and on {@link #rotate}; other processes'
 * changes to the directory are seen after reopening.
 *
 * <pre>{@code
 * AuditKeyProvider keys = Files.exists(dir.resolve("current-key"))
 *         ? FileAuditKeyProvider.open(dir)
 *         : FileAuditKeyProvider.generate(dir, "audit-2025-01");
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class FileAuditKeyProvider implements AuditKeyProvider {

    /** Suffix of private key files. */
    public static final String PRIVATE_KEY_SUFFIX = ".key.pem";
    /** Suffix of public key files. */
    public static final String PUBLIC_KEY_SUFFIX = ".pub.pem";
    /** Name of the file that holds the current key id. */
    public static final String CURRENT_KEY_FILE = "current-key";

    private final Path directory;
    /** Replaced as a whole on rotation, so readers always see a consistent pair of current key and key set. */
    private volatile State state;

    private record State(Optional<AuditSigningKey> current, Map<String, AuditPublicKey> publicKeys) {
    }

    private FileAuditKeyProvider(Path directory, State state) {
        this.directory = directory;
        this.state = state;
    }

    /**
     * Opens the keys in a directory. The current key is the one named in {@code current-key}, or the only
     * private key when that file is absent; with no private key at all the provider verifies only.
     *
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} when the directory cannot be read,
     *         a key file is not an Ed25519 key, a private key does not match its public key file, or the
     *         current key is ambiguous or missing
     */
    public static FileAuditKeyProvider open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path absolute = directory.toAbsolutePath().normalize();
        return new FileAuditKeyProvider(absolute, load(absolute));
    }

    /**
     * Creates a new key pair in the directory (created if missing), makes it the current key and opens the
     * directory's keys.
     *
     * @throws IllegalArgumentException when the key id is malformed
     * @throws PosUnbindException       {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} when a key with this id
     *                                  exists already or the files cannot be written
     */
    public static FileAuditKeyProvider generate(Path directory, String keyId) {
        Objects.requireNonNull(directory, "directory");
        AuditFields.keyId(keyId);
        Path absolute = directory.toAbsolutePath().normalize();
        writeNewKey(absolute, keyId);
        return new FileAuditKeyProvider(absolute, load(absolute));
    }

    /**
     * Reads the public keys ({@code *.pub.pem}) of a directory, for a verifier that must not see private keys.
     *
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} when the directory or a key cannot be read
     */
    public static List<AuditPublicKey> readPublicKeys(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return List.copyOf(readPublicKeyFiles(directory.toAbsolutePath().normalize()).values());
    }

    /**
     * Creates a new key pair with this id and makes it current. The previous key's public key stays, so
     * the checkpoints it signed keep verifying.
     *
     * @return the new signing key
     * @throws IllegalArgumentException when the key id is malformed
     * @throws PosUnbindException       {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} when a key with this id
     *                                  exists already or the files cannot be written
     */
    public synchronized AuditSigningKey rotate(String newKeyId) {
        AuditFields.keyId(newKeyId);
        writeNewKey(directory, newKeyId);
        state = load(directory);
        return state.current().orElseThrow();
    }

    /** The directory the keys are in. */
    public Path directory() {
        return directory;
    }

    @Override
    public AuditSigningKey currentSigningKey() {
        return state.current().orElseThrow(() -> new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE,
                "The audit key directory " + directory + " has no private key; generate one with "
                        + "FileAuditKeyProvider.generate(directory, keyId)"));
    }

    @Override
    public Optional<AuditPublicKey> publicKey(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return Optional.ofNullable(state.publicKeys().get(keyId));
    }

    @Override
    public List<AuditPublicKey> publicKeys() {
        return List.copyOf(state.publicKeys().values());
    }

    @Override
    public String toString() {
        return "FileAuditKeyProvider[" + directory + ", current "
                + state.current().map(AuditSigningKey::keyId).orElse("none") + "]";
    }

    private static void writeNewKey(Path directory, String keyId) {
        Path privateFile = directory.resolve(keyId + PRIVATE_KEY_SUFFIX);
        Path publicFile = directory.resolve(keyId + PUBLIC_KEY_SUFFIX);
        Ed25519SigningKey key = Ed25519SigningKey.generate(keyId);
        try {
            Files.createDirectories(directory);
            if (Files.exists(publicFile)) {
                throw new FileAlreadyExistsException(publicFile.toString());
            }
            createPrivateFile(privateFile, key.privateKeyPem());
            Files.writeString(publicFile, key.publicKey().pem(), StandardCharsets.US_ASCII);
            writeAtomically(directory.resolve(CURRENT_KEY_FILE), keyId + "\n");
        } catch (FileAlreadyExistsException e) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "An audit key with id " + keyId
                    + " exists already in " + directory + "; choose a new id", null, e);
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "Could not write the audit key "
                    + keyId + " to " + directory + ": " + e.getMessage(), null, e);
        }
    }

    /** Creates the file readable by its owner only, before anything secret is written to it. */
    private static void createPrivateFile(Path file, String pem) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions (Windows): the directory's ACL protects the file.
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static State load(Path directory) {
        Map<String, AuditPublicKey> publicKeys = readPublicKeyFiles(directory);
        List<String> privateIds = idsOfFiles(directory, PRIVATE_KEY_SUFFIX);
        String currentId;
        Path currentFile = directory.resolve(CURRENT_KEY_FILE);
        if (Files.exists(currentFile)) {
            currentId = read(currentFile).strip();
            if (!isKeyId(currentId)) {
                throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "The file " + currentFile
                        + " does not hold a key id; write the id of the signing key into it");
            }
        } else if (privateIds.size() == 1) {
            currentId = privateIds.get(0);
        } else if (privateIds.isEmpty()) {
            return new State(Optional.empty(), publicKeys);
        } else {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "The audit key directory " + directory
                    + " has several private keys and no " + CURRENT_KEY_FILE + " file; write the id of the "
                    + "signing key into it");
        }
        Path privateFile = directory.resolve(currentId + PRIVATE_KEY_SUFFIX);
        if (!Files.isRegularFile(privateFile)) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "The current audit key " + currentId
                    + " named in " + currentFile + " has no private key file " + privateFile.getFileName());
        }
        Ed25519SigningKey current;
        try {
            current = Ed25519SigningKey.fromPem(currentId, read(privateFile));
        } catch (IllegalArgumentException e) {
            // The message comes from our PEM reader and never contains key material.
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "The audit key file " + privateFile
                    + " is not an unencrypted PKCS#8 Ed25519 private key: " + e.getMessage(), null, e);
        }
        AuditPublicKey published = publicKeys.get(currentId);
        if (published == null) {
            publicKeys.put(currentId, current.publicKey());
        } else if (!published.sameKeyAs(current.publicKey())) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "The audit key files "
                    + privateFile.getFileName() + " and " + currentId + PUBLIC_KEY_SUFFIX + " do not belong together");
        }
        return new State(Optional.of(current), publicKeys);
    }

    private static Map<String, AuditPublicKey> readPublicKeyFiles(Path directory) {
        Map<String, AuditPublicKey> keys = new TreeMap<>();
        for (String keyId : idsOfFiles(directory, PUBLIC_KEY_SUFFIX)) {
            Path file = directory.resolve(keyId + PUBLIC_KEY_SUFFIX);
            try {
                keys.put(keyId, new AuditPublicKey(keyId, read(file)));
            } catch (IllegalArgumentException e) {
                throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "The audit key file " + file
                        + " is not an X.509 Ed25519 public key: " + e.getMessage(), null, e);
            }
        }
        return keys;
    }

    /** The key ids of the files with a suffix, sorted; files whose names are not valid key ids are ignored. */
    private static List<String> idsOfFiles(Path directory, String suffix) {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(suffix))
                    .map(name -> name.substring(0, name.length() - suffix.length()))
                    .filter(FileAuditKeyProvider::isKeyId)
                    .sorted()
                    .forEach(ids::add);
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "Could not list the audit key directory "
                    + directory + ": " + e.getMessage(), null, e);
        }
        return ids;
    }

    private static boolean isKeyId(String text) {
        try {
            AuditFields.keyId(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_KEY_UNAVAILABLE, "Could not read the audit key file "
                    + file + ": " + e.getMessage(), null, e);
        }
    }
}
