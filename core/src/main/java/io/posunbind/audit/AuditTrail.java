package io.posunbind.audit;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tamper-evident audit trail: appends {@link AuditRecord}s to an {@link AuditStore}, each chained to the
 * one before by SHA-256, and signs a {@link Checkpoint} of the chain head with Ed25519 every N records or
 * T elapsed since the oldest unsigned record, whichever comes first.
 *
 * <pre>{@code
 * AuditTrail trail = AuditTrail.builder()
 *         .store(JdbcAuditStore.h2File(dataDirectory))
 *         .keys(FileAuditKeyProvider.open(keyDirectory))
 *         .checkpointEveryRecords(1_000)
 *         .checkpointInterval(Duration.ofMinutes(1))
 *         .build();
 * unbinder = Unbinder.builder().listener(event -> trail.append(toAuditEntry(event))).build();
 * }</pre>
 *
 * <p><b>Checkpoint timing.</b> The trail has no thread of its own: the count and the time are checked on
 * each {@link #append}. So that records written just before a quiet spell get signed within T, call
 * {@link #checkpointIfDue()} from a scheduler (for example next to {@code Unbinder.runDueWork()}).
 *
 * <p><b>Failures.</b> {@link #append} returns only once the record is stored; it throws the store's
 * {@link PosUnbindException} ({@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE}, retryable) otherwise, and the
 * record is not part of the chain. A checkpoint that cannot be signed or stored during an append is logged
 * as a warning and tried again on the next append: the record is kept, unsigned for a while.
 *
 * <p><b>Several writers.</b> The trail reads the chain head from the store when first used. Several trails
 * (in several processes) may share one {@link JdbcAuditStore}: a trail that loses the race for a sequence
 * re-reads the head and appends after it.
 *
 * <p>Thread-safe: appends are serialised, since each record needs its predecessor's hash.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    /** How often an append re-reads the head after losing a sequence to another writer before giving up. */
    private static final int MAX_APPEND_ATTEMPTS = 16;

    private final AuditStore store;
    private final AuditKeyProvider keys;
    private final Clock clock;
    private final int checkpointEveryRecords;
    private final Duration checkpointInterval;
    private final Consumer<Checkpoint> checkpointListener;

    private final Object lock = new Object();
    // The chain as this trail knows it; guarded by lock and read from the store on first use.
    private boolean headLoaded;
    private long headSequence;
    private String headHash;
    private long signedSequence;
    /** When the oldest record after the last checkpoint was appended; null when every record is signed. */
    private Instant oldestUnsignedTime;

    private AuditTrail(Builder builder) {
        this.store = builder.store;
        this.keys = builder.keys;
        this.clock = builder.clock;
        this.checkpointEveryRecords = builder.checkpointEveryRecords;
        this.checkpointInterval = builder.checkpointInterval;
        this.checkpointListener = builder.checkpointListener;
    }

    /** A builder; store and keys are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Appends a record: gives the draft the next sequence number and the clock's time, chains it to the
     * head, stores it, and signs a checkpoint when one is due.
     *
     * @return the stored record
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE} when the store failed; the record
     *         was not appended
     */
    public AuditRecord append(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        synchronized (lock) {
            loadHeadOnce();
            AuditRecord record = null;
            for (int attempt = 1; record == null; attempt++) {
                AuditRecord candidate = AuditRecord.chain(headSequence + 1, clock.instant(), entry, headHash);
                try {
                    store.appendRecord(candidate);
                    record = candidate;
                } catch (PosUnbindException e) {
                    if (e.errorCode() != CoreErrorCode.AUDIT_SEQUENCE_TAKEN || attempt >= MAX_APPEND_ATTEMPTS) {
                        throw e;
                    }
                    // Another writer appended first: continue its chain, not ours.
                    loadHead();
                }
            }
            headSequence = record.sequence();
            headHash = record.hash();
            if (oldestUnsignedTime == null) {
                oldestUnsignedTime = record.time();
            }
            if (checkpointDue(record.time())) {
                try {
                    signHead(record.time());
                } catch (RuntimeException e) {
                    LOG.warn("Audit checkpoint at sequence {} could not be signed or stored; records stay unsigned "
                            + "until the next attempt: {}", headSequence, e.getMessage());
                }
            }
            return record;
        }
    }

    /** Appends a record from its parts; see {@link AuditEntry} for the limits and the scrubbing of the detail. */
    public AuditRecord append(Actor actor, String eventType, AuditOutcome outcome, String origin,
            AffectedResource resource, String detail) {
        return append(AuditEntry.of(actor, eventType, outcome, origin, resource, detail));
    }

    /**
     * Signs a checkpoint of the current head now, whatever the count and the time.
     *
     * @return the new checkpoint, or empty when the head is signed already (or the trail is empty)
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} or the store's failures
     */
    public Optional<Checkpoint> checkpointNow() {
        synchronized (lock) {
            loadHeadOnce();
            return signHead(clock.instant());
        }
    }

    /**
     * Signs a checkpoint when one is due: N records or T elapsed since the oldest unsigned record. Call it
     * from a scheduler so that records are signed within T even when no more come.
     *
     * @return the new checkpoint, or empty when none was due
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_KEY_UNAVAILABLE} or the store's failures
     */
    public Optional<Checkpoint> checkpointIfDue() {
        synchronized (lock) {
            loadHeadOnce();
            Instant now = clock.instant();
            return checkpointDue(now) ? signHead(now) : Optional.empty();
        }
    }

    /**
     * Exports a case's evidence bundle, stamped with the trail's clock; see {@link EvidenceBundle} for what
     * it holds. Sign a checkpoint first ({@link #checkpointNow()}) if the case's last records should be
     * covered by a signature.
     *
     * @throws PosUnbindException {@link CoreErrorCode#CASE_NOT_FOUND} when the trail has no record of the case
     */
    public EvidenceBundle exportEvidence(String caseId) {
        return EvidenceBundle.export(store, keys, caseId, clock.instant());
    }

    /** Verifies the whole stored trail with the key provider's public keys. */
    public VerificationReport verify() {
        return AuditVerifier.trusting(keys).verifyStore(store);
    }

    /** The store the trail writes to. */
    public AuditStore store() {
        return store;
    }

    /** The key provider that signs its checkpoints. */
    public AuditKeyProvider keys() {
        return keys;
    }

    private boolean checkpointDue(Instant now) {
        if (headSequence <= signedSequence) {
            return false;
        }
        return headSequence - signedSequence >= checkpointEveryRecords
                || (oldestUnsignedTime != null
                        && Duration.between(oldestUnsignedTime, now).compareTo(checkpointInterval) >= 0);
    }

    private Optional<Checkpoint> signHead(Instant now) {
        if (headSequence <= signedSequence) {
            return Optional.empty();
        }
        Checkpoint checkpoint = Checkpoint.sign(headSequence, headHash, now, keys.currentSigningKey());
        try {
            store.appendCheckpoint(checkpoint);
        } catch (PosUnbindException e) {
            if (e.errorCode() != CoreErrorCode.AUDIT_SEQUENCE_TAKEN) {
                throw e;
            }
            // Another writer signed this very sequence: the head is signed; take up its state.
            loadHead();
            return Optional.empty();
        }
        signedSequence = headSequence;
        oldestUnsignedTime = null;
        try {
            checkpointListener.accept(checkpoint);
        } catch (RuntimeException e) {
            LOG.warn("The audit checkpoint listener failed for checkpoint {}: {}", checkpoint.sequence(), e.toString());
        }
        return Optional.of(checkpoint);
    }

    private void loadHeadOnce() {
        if (!headLoaded) {
            loadHead();
        }
    }

    private void loadHead() {
        Optional<AuditRecord> latest = store.latestRecord();
        headSequence = latest.map(AuditRecord::sequence).orElse(0L);
        headHash = latest.map(AuditRecord::hash).orElse(AuditRecord.GENESIS_HASH);
        signedSequence = Math.min(headSequence, store.latestCheckpoint().map(Checkpoint::sequence).orElse(0L));
        oldestUnsignedTime = null;
        if (headSequence > signedSequence) {
            oldestUnsignedTime = store.readAfter(signedSequence, 1).stream().findFirst()
                    .map(AuditRecord::time).orElseGet(clock::instant);
        }
        headLoaded = true;
    }

    @Override
    public String toString() {
        return "AuditTrail[" + store + ", checkpoint every " + checkpointEveryRecords + " records or "
                + checkpointInterval + "]";
    }

    /**
     * Builds an {@link AuditTrail}. Not thread-safe; the built trail is.
     */
    public static final class Builder {

        private AuditStore store;
        private AuditKeyProvider keys;
        private Clock clock = Clock.systemUTC();
        private int checkpointEveryRecords = 1_000;
        private Duration checkpointInterval = Duration.ofMinutes(1);
        private Consumer<Checkpoint> checkpointListener = checkpoint -> { };

        private Builder() {
        }

        /** Where records and checkpoints are kept. Required. */
        public Builder store(AuditStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where the signing key comes from. Required. */
        public Builder keys(AuditKeyProvider keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** The clock that stamps records and checkpoints. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sign a checkpoint once this many records are unsigned. Default 1,000. */
        public Builder checkpointEveryRecords(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("checkpointEveryRecords must be at least 1, was " + records);
            }
            this.checkpointEveryRecords = records;
            return this;
        }

        /** Sign a checkpoint once the oldest unsigned record is this old. Default one minute. */
        public Builder checkpointInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive, was " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * Called with each new checkpoint, on the appending thread while the trail is locked: keep it quick.
         * Publish checkpoints somewhere the store's administrators cannot rewrite (another system, a
         * write-once bucket, a log shipper); a verifier given one as a witness then detects a log cut short
         * together with its checkpoints. An exception thrown here is logged and ignored.
         */
        public Builder onCheckpoint(Consumer<Checkpoint> listener) {
            this.checkpointListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Builds the trail; the store is first read on the first append or checkpoint. */
        public AuditTrail build() {
            Objects.requireNonNull(store, "store must be set");
            Objects.requireNonNull(keys, "keys must be set");
            return new AuditTrail(this);
        }
    }
}
