package io.posunbind.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.internal.crypto.AesGcm;
import io.posunbind.internal.crypto.AssociatedData;
import io.posunbind.internal.crypto.PurposeKeys;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.UsageRecord;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    private static final String CHUNK_AAD = "posunbind/backup/v1/chunk";
    private static final String MANIFEST_AAD = "posunbind/backup/v1/manifest";
    private static final int MAX_CASE_ID_LENGTH = 256;
    private static final TypeReference<List<UsageRecord>> USAGE_RECORDS = new TypeReference<>() {
    };

    private final PurposeKeys keys;
    private final int recordsPerChunk;
    private final SecureRandom random;
    private final Clock clock;
    private final ObjectMapper json = JsonMappers.storage();

    private BackupVault(Builder builder) {
        this.keys = new PurposeKeys(builder.keys, PURPOSE);
        this.recordsPerChunk = builder.recordsPerChunk;
        this.random = builder.random;
        this.clock = builder.clock;
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
        PurposeKeys.Key key = keys.current();
        List<UsageRecord> records = export.usageRecords();

        List<ChunkDescriptor> descriptors = new ArrayList<>();
        List<byte[]> plaintexts = new ArrayList<>();
        descriptors.add(new ChunkDescriptor(0, ChunkContent.SETTINGS, 0, export.settings().size()));
        plaintexts.add(write(new SettingsPart(export.serialNumber(), export.settings())));
        for (int first = 0; first < records.size(); first += recordsPerChunk) {
            List<UsageRecord> part = records.subList(first, Math.min(records.size(), first + recordsPerChunk));
            descriptors.add(new ChunkDescriptor(descriptors.size(), ChunkContent.USAGE_RECORDS, first, part.size()));
            plaintexts.add(write(part));
        }
        BackupManifest manifest = new BackupManifest(records.size(), export.settings().size(), descriptors);

        byte[] id = new byte[16];
        random.nextBytes(id);
        Instant sealedAt = clock.instant();
        Header header = new Header(SealedBackup.FORMAT_VERSION, HexFormat.of().formatHex(id), caseId, key.id(),
                sealedAt.getEpochSecond(), sealedAt.getNano(), descriptors.size());

        List<SealedChunk> chunks = new ArrayList<>(descriptors.size());
        for (int i = 0; i < descriptors.size(); i++) {
            byte[] nonce = nonce();
            byte[] sealed = AesGcm.encrypt(key.material(), nonce, chunkAad(header, descriptors.get(i)),
                    plaintexts.get(i));
            Arrays.fill(plaintexts.get(i), (byte) 0);
            int split = sealed.length - AesGcm.TAG_BYTES;
            chunks.add(new SealedChunk(i, base64(nonce), base64(Arrays.copyOf(sealed, split)),
                    base64(Arrays.copyOfRange(sealed, split, sealed.length))));
        }
        byte[] manifestNonce = nonce();
        byte[] manifestTag = AesGcm.encrypt(key.material(), manifestNonce, manifestAad(header, manifest), new byte[0]);
        return new SealedBackup(header.formatVersion, header.backupId, caseId, key.id(), sealedAt,
                descriptors.size(), manifest, base64(manifestNonce), base64(manifestTag), chunks);
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
        Examination examination = examine(caseId, backup);
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

    /** The vault's settings, never keys. */
    @Override
    public String toString() {
        return "BackupVault[AES-256-GCM, recordsPerChunk=" + recordsPerChunk + "]";
    }

    private Examination examine(String caseId, SealedBackup backup) {
        requireCaseId(caseId);
        Objects.requireNonNull(backup, "backup");
        Report report = new Report(caseId, backup);

        if (backup.formatVersion() != SealedBackup.FORMAT_VERSION) {
            report.add(BackupProblem.whole(BackupProblem.Kind.UNSUPPORTED_FORMAT, "format version "
                    + backup.formatVersion() + " is not " + SealedBackup.FORMAT_VERSION + "; a newer posunbind may read it"));
            return report.done(null);
        }
        if (!caseId.equals(backup.caseId())) {
            // Still check the rest under the backup's own case id: an intact backup of another case is a mix-up,
            // a damaged one is worse, and the report should tell which.
            report.add(BackupProblem.whole(BackupProblem.Kind.WRONG_CASE, "the backup was sealed for case "
                    + shortened(backup.caseId()) + ", not for case " + caseId));
        }
        if (!keys.knows(backup.keyId())) {
            report.add(BackupProblem.whole(BackupProblem.Kind.UNKNOWN_KEY, "the backup was sealed with data key "
                    + shortened(backup.keyId()) + ", which the key provider does not have; give it that key again"));
            return report.done(null);
        }
        PurposeKeys.Key key = keys.byId(backup.keyId(), "The backup");
        Header header = Header.of(backup);

        checkManifestTag(report, key, header, backup);
        boolean manifestUsable = checkManifestConsistency(report, backup);
        if (!manifestUsable) {
            return report.done(null);
        }
        byte[][] plaintexts = checkChunks(report, key, header, backup);
        if (!report.problems.isEmpty()) {
            wipe(plaintexts);
            return report.done(null);
        }
        TerminalDataExport export = assemble(report, backup, plaintexts);
        wipe(plaintexts);
        return report.done(report.problems.isEmpty() ? export : null);
    }

    private void checkManifestTag(Report report, PurposeKeys.Key key, Header header, SealedBackup backup) {
        Optional<byte[]> nonce = decode(backup.manifestNonce(), AesGcm.NONCE_BYTES);
        Optional<byte[]> tag = decode(backup.manifestTag(), AesGcm.TAG_BYTES);
        if (nonce.isEmpty() || tag.isEmpty()) {
            report.add(BackupProblem.whole(BackupProblem.Kind.MANIFEST_TAMPERED,
                    "the manifest's nonce or tag is not canonical base64 of the right length"));
            return;
        }
        if (AesGcm.decrypt(key.material(), nonce.get(), manifestAad(header, backup.manifest()), tag.get()).isEmpty()) {
            report.add(BackupProblem.whole(BackupProblem.Kind.MANIFEST_TAMPERED, "the manifest or the backup's"
                    + " header (id, case, key, time, chunk count, record counts) fails authentication: it was changed"));
        }
    }

    /** Whether the manifest can be trusted to describe the chunks: one entry per chunk, ranges without gaps. */
    private static boolean checkManifestConsistency(Report report, SealedBackup backup) {
        BackupManifest manifest = backup.manifest();
        List<ChunkDescriptor> entries = manifest.chunks();
        List<String> faults = new ArrayList<>();
        if (backup.chunkCount() < 1 || backup.chunkCount() > MAX_CHUNKS) {
            faults.add("chunk count " + backup.chunkCount() + " is not between 1 and " + MAX_CHUNKS);
        } else if (entries.size() != backup.chunkCount()) {
            faults.add("it lists " + entries.size() + " chunk(s) but the backup says " + backup.chunkCount());
        }
        long nextRecord = 0;
        for (int i = 0; i < entries.size() && faults.size() < 5; i++) {
            ChunkDescriptor entry = entries.get(i);
            boolean settings = i == 0;
            if (entry.index() != i) {
                faults.add("entry " + i + " has index " + entry.index());
            } else if (settings != (entry.content() == ChunkContent.SETTINGS)) {
                faults.add("entry " + i + (settings ? " is not the settings" : " claims settings"));
            } else if (settings && (entry.firstRecord() != 0 || entry.recordCount() != manifest.settingCount())) {
                faults.add("the settings entry does not count " + manifest.settingCount() + " setting(s)");
            } else if (!settings && (entry.firstRecord() != nextRecord || entry.recordCount() < 1)) {
                faults.add("entry " + i + " (" + entry.describe() + ") does not follow on from record " + nextRecord);
            }
            if (!settings) {
                nextRecord += entry.recordCount();
            }
        }
        if (faults.isEmpty() && nextRecord != manifest.usageRecordCount()) {
            faults.add("its chunks hold " + nextRecord + " usage record(s) but it says "
                    + manifest.usageRecordCount());
        }
        if (manifest.settingCount() < 0 || manifest.usageRecordCount() < 0) {
            faults.add("it has negative counts");
        }
        if (!faults.isEmpty()) {
            report.add(BackupProblem.whole(BackupProblem.Kind.MANIFEST_INVALID,
                    "the manifest is inconsistent: " + String.join("; ", faults)));
            return false;
        }
        return true;
    }

    /** Authenticates every stored chunk and reports order, duplicates and gaps; returns plaintexts by index. */
    private static byte[][] checkChunks(Report report, PurposeKeys.Key key, Header header, SealedBackup backup) {
        List<ChunkDescriptor> entries = backup.manifest().chunks();
        int count = entries.size();
        byte[][] plaintexts = new byte[count][];
        Map<Integer, Integer> firstPosition = new HashMap<>();
        int highestSoFar = -1;
        List<SealedChunk> chunks = backup.chunks();
        for (int position = 0; position < chunks.size(); position++) {
            SealedChunk chunk = chunks.get(position);
            int index = chunk.index();
            if (index < 0 || index >= count) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_UNEXPECTED, index, position,
                        "the chunk at position " + position + " has index " + index + ", but the manifest lists chunks"
                                + " 0 to " + (count - 1)));
                continue;
            }
            String name = "chunk " + index + " (" + entries.get(index).describe() + ")";
            Integer earlier = firstPosition.putIfAbsent(index, position);
            if (earlier != null) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_DUPLICATED, index, position,
                        name + " appears again at position " + position + " (first at position " + earlier + ")"));
            } else if (index < highestSoFar) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_OUT_OF_ORDER, index, position,
                        name + " is at position " + position + ", after chunk " + highestSoFar));
            }
            highestSoFar = Math.max(highestSoFar, index);

            Optional<byte[]> nonce = decode(chunk.nonce(), AesGcm.NONCE_BYTES);
            Optional<byte[]> tag = decode(chunk.tag(), AesGcm.TAG_BYTES);
            Optional<byte[]> ciphertext = decode(chunk.ciphertext(), -1);
            if (nonce.isEmpty() || tag.isEmpty() || ciphertext.isEmpty()) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_MALFORMED, index, position, name + ": its "
                        + (nonce.isEmpty() ? "nonce is not canonical base64 of 12 bytes"
                        : tag.isEmpty() ? "tag is not canonical base64 of 16 bytes"
                        : "ciphertext is not canonical base64")));
                continue;
            }
            byte[] sealed = concat(ciphertext.get(), tag.get());
            Optional<byte[]> plaintext = AesGcm.decrypt(key.material(), nonce.get(),
                    chunkAad(header, entries.get(index)), sealed);
            if (plaintext.isEmpty()) {
                report.add(BackupProblem.atPosition(BackupProblem.Kind.CHUNK_FAILS_AUTHENTICATION, index, position,
                        name + " fails authentication: its ciphertext, nonce, tag or manifest entry was changed,"
                                + " or it comes from another backup"));
                continue;
            }
            report.authentic++;
            if (plaintexts[index] == null) {
                plaintexts[index] = plaintext.get();
            }
        }
        for (int index = 0; index < count; index++) {
            if (!firstPosition.containsKey(index)) {
                report.add(BackupProblem.atChunk(BackupProblem.Kind.CHUNK_MISSING, index,
                        "chunk " + index + " (" + entries.get(index).describe() + ") is missing"));
            }
        }
        return plaintexts;
    }

    private TerminalDataExport assemble(Report report, SealedBackup backup, byte[][] plaintexts) {
        List<ChunkDescriptor> entries = backup.manifest().chunks();
        SettingsPart settings = null;
        List<UsageRecord> records = new ArrayList<>(backup.manifest().usageRecordCount());
        for (int index = 0; index < plaintexts.length; index++) {
            ChunkDescriptor entry = entries.get(index);
            String name = "chunk " + index + " (" + entry.describe() + ")";
            try {
                if (index == 0) {
                    settings = json.readValue(plaintexts[0], SettingsPart.class);
                    if (settings.settings().size() != entry.recordCount()) {
                        report.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, index,
                                name + " holds " + settings.settings().size() + " setting(s)"));
                    }
                } else {
                    List<UsageRecord> part = json.readValue(plaintexts[index], USAGE_RECORDS);
                    if (part.size() != entry.recordCount()) {
                        report.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, index,
                                name + " holds " + part.size() + " usage record(s)"));
                    }
                    records.addAll(part);
                }
            } catch (IOException | RuntimeException e) {
                // Authentic but unreadable: written by a faulty sealer. Say which chunk, not what it held.
                report.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, index,
                        name + " is authentic but its content cannot be read (" + e.getClass().getSimpleName() + ")"));
            }
        }
        if (settings == null || !report.problems.isEmpty()) {
            return null;
        }
        try {
            return new TerminalDataExport(settings.serialNumber(), records, settings.settings());
        } catch (RuntimeException e) {
            report.add(BackupProblem.atChunk(BackupProblem.Kind.CONTENT_INVALID, 0,
                    "chunk 0 (settings) does not make a terminal export (" + e.getClass().getSimpleName() + ")"));
            return null;
        }
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new PosUnbindException(CoreErrorCode.BACKUP_UNVERIFIED, "The terminal's data cannot be written as"
                    + " JSON (" + e.getClass().getSimpleName() + "); nothing was unbound", null, null);
        }
    }

    private byte[] nonce() {
        byte[] nonce = new byte[AesGcm.NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    private static byte[] chunkAad(Header header, ChunkDescriptor entry) {
        return header.start(CHUNK_AAD)
                .number(entry.index()).text(entry.content().name()).number(entry.firstRecord())
                .number(entry.recordCount()).toBytes();
    }

    private static byte[] manifestAad(Header header, BackupManifest manifest) {
        AssociatedData aad = header.start(MANIFEST_AAD)
                .number(header.epochSecond).number(header.nano)
                .number(manifest.usageRecordCount()).number(manifest.settingCount())
                .number(manifest.chunks().size());
        for (ChunkDescriptor entry : manifest.chunks()) {
            aad.number(entry.index()).text(entry.content().name()).number(entry.firstRecord())
                    .number(entry.recordCount());
        }
        return aad.toBytes();
    }

    /**
     * Decodes canonical base64 of the given length (any length when negative); empty when it is not.
     * Only the spelling the vault writes is accepted, so a changed character that would decode to the same
     * bytes (unused low bits, dropped padding) is still reported.
     */
    private static Optional<byte[]> decode(String base64, int length) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (!Base64.getEncoder().encodeToString(bytes).equals(base64)) {
                return Optional.empty();
            }
            return length < 0 || bytes.length == length ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static void wipe(byte[][] plaintexts) {
        for (byte[] plaintext : plaintexts) {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private static String shortened(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private static void requireCaseId(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        if (caseId.isBlank() || caseId.length() > MAX_CASE_ID_LENGTH) {
            throw new IllegalArgumentException("A case id has 1 to " + MAX_CASE_ID_LENGTH + " characters");
        }
    }

    /** The serial number and settings, as chunk 0 holds them. */
    record SettingsPart(String serialNumber, Map<String, String> settings) {
    }

    /** The fields in clear that every tag covers. */
    private record Header(int formatVersion, String backupId, String caseId, String keyId, long epochSecond,
            int nano, int chunkCount) {

        static Header of(SealedBackup backup) {
            return new Header(backup.formatVersion(), backup.backupId(), backup.caseId(), backup.keyId(),
                    backup.sealedAt().getEpochSecond(), backup.sealedAt().getNano(), backup.chunkCount());
        }

        AssociatedData start(String label) {
            return AssociatedData.of(label).number(formatVersion).text(backupId).text(caseId).text(keyId)
                    .number(chunkCount);
        }
    }

    /** Collects problems while a backup is examined. */
    private static final class Report {
        final String caseId;
        final SealedBackup backup;
        final List<BackupProblem> problems = new ArrayList<>();
        int authentic;

        Report(String caseId, SealedBackup backup) {
            this.caseId = caseId;
            this.backup = backup;
        }

        void add(BackupProblem problem) {
            problems.add(problem);
        }

        Examination done(TerminalDataExport export) {
            return new Examination(new BackupVerification(caseId, backup.backupId(), backup.chunkCount(), authentic,
                    problems), export);
        }
    }

    private record Examination(BackupVerification verification, TerminalDataExport export) {
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
