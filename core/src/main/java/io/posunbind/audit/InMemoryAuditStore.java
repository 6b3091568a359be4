package io.posunbind.audit;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link AuditStore} in memory, for tests and demos: nothing survives the process. Refuses a taken
 * sequence like {@link JdbcAuditStore}.
 *
 * <p>Thread-safe: every method holds the store's lock.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class InMemoryAuditStore implements AuditStore {

    private final NavigableMap<Long, AuditRecord> records = new TreeMap<>();
    private final NavigableMap<Long, Checkpoint> checkpoints = new TreeMap<>();
    private final Map<String, List<AuditRecord>> recordsByCase = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryAuditStore() {
    }

    @Override
    public synchronized void appendRecord(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        if (records.putIfAbsent(record.sequence(), record) != null) {
            throw sequenceTaken("record", record.sequence());
        }
        recordsByCase.computeIfAbsent(record.caseId(), caseId -> new ArrayList<>()).add(record);
    }

    @Override
    public synchronized void appendCheckpoint(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (checkpoints.putIfAbsent(checkpoint.sequence(), checkpoint) != null) {
            throw sequenceTaken("checkpoint", checkpoint.sequence());
        }
    }

    @Override
    public synchronized List<AuditRecord> readRange(long fromSequence, long toSequence) {
        if (fromSequence > toSequence) {
            return List.of();
        }
        return List.copyOf(records.subMap(fromSequence, true, toSequence, true).values());
    }

    @Override
    public synchronized List<AuditRecord> readAfter(long sequence, int limit) {
        checkLimit(limit);
        return records.tailMap(sequence, false).values().stream().limit(limit).toList();
    }

    @Override
    public synchronized List<AuditRecord> readByCase(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        List<AuditRecord> ofCase = new ArrayList<>(recordsByCase.getOrDefault(caseId, List.of()));
        // Appends may come out of sequence order when several trails share the store.
        ofCase.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return List.copyOf(ofCase);
    }

    @Override
    public synchronized Optional<AuditRecord> latestRecord() {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.lastEntry().getValue());
    }

    @Override
    public synchronized List<Checkpoint> readCheckpoints(long fromSequence, long toSequence) {
        if (fromSequence > toSequence) {
            return List.of();
        }
        return List.copyOf(checkpoints.subMap(fromSequence, true, toSequence, true).values());
    }

    @Override
    public synchronized Optional<Checkpoint> latestCheckpointBefore(long sequence) {
        return Optional.ofNullable(checkpoints.lowerEntry(sequence)).map(Map.Entry::getValue);
    }

    @Override
    public synchronized Optional<Checkpoint> firstCheckpointAtOrAfter(long sequence) {
        return Optional.ofNullable(checkpoints.ceilingEntry(sequence)).map(Map.Entry::getValue);
    }

    static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    static PosUnbindException sequenceTaken(String what, long sequence) {
        return new PosUnbindException(CoreErrorCode.AUDIT_SEQUENCE_TAKEN, "An audit " + what + " with sequence "
                + sequence + " exists already; another writer appended first. Re-read the head and try again");
    }
}
