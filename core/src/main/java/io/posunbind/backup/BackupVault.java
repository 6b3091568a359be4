package io.posunbind.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.internal.crypto.PurposeKeys;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.API;
import io.posunbind.spi.model.TerminalDataExport;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Seals a terminal's data into an encrypted, verifiable {@link SealedBackup}, opens it again, and
 * verifies it, reporting every problem by position.
 *
 * <p>Sealing serializes the {@link TerminalDataExport} with Jackson, splits it into a settings chunk
 * (chunk 0: serial number and settings) and one chunk per {@link Builder#recordsPerChunk(int) N} usage
 * records (chunk 1: records 0 to N-1, and so on), and encrypts each chunk with AES-256-GCM under a fresh
 * random 96-bit nonce. Each chunk's associated data binds it to the backup's random id, the case id, the
 * key id, the chunk count, its own index and its manifest entry; the manifest and these header fields
 * carry their own tag. The AES key is derived (HKDF-SHA256) from the provider's current
 * {@link DataKey} for backups alone.
 *
 * <pre>{@code
 * BackupVault vault = BackupVault.builder().keys(dataKeys).build();
 * SealedBackup sealed = vault.sealAndVerify(caseId, adapter.exportTerminalData(serial));
 * store(caseId, sealed.toJson());
 * ...
 * BackupVerification report = vault.verify(caseId, SealedBackup.fromJson(stored));
 * TerminalDataExport restored = vault.open(caseId, SealedBackup.fromJson(stored));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Messages and reports never contain the backup's content.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class BackupVault {

    /** The most usage records per chunk that a vault can be configured with. */
    public static final int MAX_RECORDS_PER_CHUNK = 10_000;
    /** The most chunks a backup may have; verification refuses larger claims before doing any work. */
    public static final int MAX_CHUNKS = 1_000_000;

    private static final String PURPOSE = "posunbind/backup";
    private static final int MAX_CASE_ID_LENGTH = 256;

    private final int recordsPerChunk;
    private final BackupSealer sealer;
    private final BackupExaminer examiner;

    private BackupVault(Builder builder) {
        PurposeKeys keys = new PurposeKeys(builder.keys, PURPOSE);
        ObjectMapper json = JsonMappers.storage();
        this.recordsPerChunk = builder.recordsPerChunk;
        this.sealer = new BackupSealer(keys, builder.recordsPerChunk, builder.random, builder.clock, json);
        this.examiner = new BackupExaminer(keys, new BackupContentReader(json));
    }

    /** Starts a vault; {@link Builder#keys(DataKeyProvider)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Encrypts the terminal's data under the current data key, for this case.
     *
     * @param caseId the case the backup belongs to; it must be given again to open or verify the backup
     */
    public SealedBackup seal(String caseId, TerminalDataExport export) {
        requireCaseId(caseId);
        Objects.requireNonNull(export, "export");
        return sealer.seal(caseId, export);
    }

    /**
     * Seals the data, writes the backup as JSON, reads it back, opens it and compares it with the
     * original: the proof the engine needs before it lets a case past its backup step.
     *
     * @throws BackupException {@link CoreErrorCode#BACKUP_UNVERIFIED} when what is read back differs
     */
    public SealedBackup sealAndVerify(String caseId, TerminalDataExport export) {
        SealedBackup sealed = seal(caseId, export);
        proveReadBack(caseId, export, sealed.toJson());
        return sealed;
    }

    /**
     * Opens a backup from its stored form and compares what it holds with the terminal's data it was
     * sealed from. Apart from {@link #sealAndVerify} so that a test can hand it a stored form that
     * reads back different: nothing in the SDK produces one, so only a test can show the comparison works.
     *
     * @throws BackupException {@link CoreErrorCode#BACKUP_UNVERIFIED} when the stored form cannot be opened
     *         or holds other data
     */
    void proveReadBack(String caseId, TerminalDataExport export, String storedJson) {
        TerminalDataExport readBack;
        try {
            readBack = open(caseId, SealedBackup.fromJson(storedJson));
        } catch (BackupException e) {
            throw new BackupException(CoreErrorCode.BACKUP_UNVERIFIED, "The backup just sealed cannot be read back ("
                    + e.errorCode().code() + "); nothing was unbound", e.verification().orElse(null));
        }
        if (!readBack.equals(export)) {
            throw new BackupException(CoreErrorCode.BACKUP_UNVERIFIED,
                    "The backup read back differs from the terminal's data; nothing was unbound", null);
        }
    }

    /**
     * Decrypts a backup after verifying all of it.
     *
     * @throws BackupException with the code of the worst problem ({@link CoreErrorCode#DATA_KEY_UNKNOWN},
     *         {@link CoreErrorCode#BACKUP_WRONG_CASE}, {@link CoreErrorCode#BACKUP_TAMPERED},
     *         {@link CoreErrorCode#BACKUP_MALFORMED}) and the full {@link BackupVerification}
     */
    public TerminalDataExport open(String caseId, SealedBackup backup) {
        BackupExaminer.Examination examination = examine(caseId, backup);
        BackupVerification verification = examination.verification();
        if (!verification.intact()) {
            throw new BackupException(verification.errorCode(), "Backup " + backup.backupId() + " cannot be restored: "
                    + verification.summary(), verification);
        }
        return examination.export();
    }

    /** Checks every part of a backup without returning its content; never throws for a damaged backup. */
    public BackupVerification verify(String caseId, SealedBackup backup) {
        return examine(caseId, backup).verification();
    }

    private BackupExaminer.Examination examine(String caseId, SealedBackup backup) {
        requireCaseId(caseId);
        Objects.requireNonNull(backup, "backup");
        return examiner.examine(caseId, backup);
    }

    /** The vault's settings, never keys. */
    @Override
    public String toString() {
        return "BackupVault[AES-256-GCM, recordsPerChunk=" + recordsPerChunk + "]";
    }

    private static void requireCaseId(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        if (caseId.isBlank() || caseId.length() > MAX_CASE_ID_LENGTH) {
            throw new IllegalArgumentException("A case id has 1 to " + MAX_CASE_ID_LENGTH + " characters");
        }
    }

    /**
     * Configures a {@link BackupVault}. Not thread-safe; the vault it builds is.
     */
    public static final class Builder {
        private DataKeyProvider keys;
        private int recordsPerChunk = 100;
        private SecureRandom random = new SecureRandom();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The data keys; required. */
        public Builder keys(DataKeyProvider keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Usage records per chunk, 1 to {@value BackupVault#MAX_RECORDS_PER_CHUNK}; 100 by default. */
        public Builder recordsPerChunk(int recordsPerChunk) {
            if (recordsPerChunk < 1 || recordsPerChunk > MAX_RECORDS_PER_CHUNK) {
                throw new IllegalArgumentException("recordsPerChunk must be 1 to " + MAX_RECORDS_PER_CHUNK);
            }
            this.recordsPerChunk = recordsPerChunk;
            return this;
        }

        /** The source of nonces and backup ids; a new {@link SecureRandom} by default. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The clock that stamps {@link SealedBackup#sealedAt()}; the system clock in UTC by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the vault. */
        public BackupVault build() {
            if (keys == null) {
                throw new IllegalStateException("A backup vault needs keys(DataKeyProvider)");
            }
            return new BackupVault(this);
        }
    }
}
