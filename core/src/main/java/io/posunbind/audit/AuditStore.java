package io.posunbind.audit;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.util.List;
import java.util.Optional;

/**
 * Where audit records and checkpoints are kept. The store keeps what it is given; the
 * {@link AuditTrail} numbers, chains and signs. {@link InMemoryAuditStore} serves tests,
 * {@link JdbcAuditStore} production (H2 or PostgreSQL).
 *
 * <p>A store must be append-only through this interface: it offers no update or delete. Keep audit
 * records at least 12 months (PCI DSS 10.5.1); give the application's database user INSERT and SELECT only
 * on the audit tables where the database allows it.
 *
 * <p>Failures are {@link PosUnbindException}s:
 * {@link CoreErrorCode#AUDIT_SEQUENCE_TAKEN} when a record or checkpoint with the same sequence
 * exists already (another writer was first; the trail re-reads the head and tries again), and
 * {@link CoreErrorCode#AUDIT_STORE_UNAVAILABLE} for anything else.
 *
 * <p>Implementations must be thread-safe. Lists are returned in ascending sequence order.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface AuditStore {

    /**
     * Appends a record.
     *
     * @throws PosUnbindException {@code AUDIT_SEQUENCE_TAKEN} when its sequence is taken
     */
    void appendRecord(AuditRecord record);

    /**
     * Appends a checkpoint.
     *
     * @throws PosUnbindException {@code AUDIT_SEQUENCE_TAKEN} when a checkpoint with its
     *         sequence exists already
     */
    void appendCheckpoint(Checkpoint checkpoint);

    /** The records with sequences from {@code fromSequence} to {@code toSequence}, both included. */
    List<AuditRecord> readRange(long fromSequence, long toSequence);

    /** Up to {@code limit} records with sequences above {@code sequence} (excluded), for reading a trail in pages. */
    List<AuditRecord> readAfter(long sequence, int limit);

    /** The records whose affected resource names this case. */
    List<AuditRecord> readByCase(String caseId);

    /** The record with the highest sequence, if any. */
    Optional<AuditRecord> latestRecord();

    /** The checkpoints with sequences from {@code fromSequence} to {@code toSequence}, both included. */
    List<Checkpoint> readCheckpoints(long fromSequence, long toSequence);

    /** The checkpoint with the highest sequence, if any. */
    default Optional<Checkpoint> latestCheckpoint() {
        return latestCheckpointBefore(Long.MAX_VALUE);
    }

    /** The checkpoint with the highest sequence below {@code sequence} (excluded), if any. */
    Optional<Checkpoint> latestCheckpointBefore(long sequence);

    /** The checkpoint with the lowest sequence at or above {@code sequence}, if any. */
    Optional<Checkpoint> firstCheckpointAtOrAfter(long sequence);
}
