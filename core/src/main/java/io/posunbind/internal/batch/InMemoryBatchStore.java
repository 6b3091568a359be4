package io.posunbind.internal.batch;

import io.posunbind.CoreErrorCode;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.BatchRecord;
import io.posunbind.store.BatchRowRecord;
import io.posunbind.store.BatchStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Batches in memory, for {@code InMemoryCaseStore}. Thread-safe: every method holds the store's monitor. */
public final class InMemoryBatchStore implements BatchStore {

    private final Map<String, BatchRecord> batches = new HashMap<>();
    /** Who starts each batch's rows now, and until when ({@link #leaseStarting}). */
    private final Map<String, Starter> starters = new HashMap<>();

    private record Starter(String owner, Instant until) {
    }
    private final Map<String, NavigableMap<Integer, BatchRowRecord>> rows = new HashMap<>();

    @Override
    public synchronized void insert(BatchRecord batch, List<BatchRowRecord> batchRows) {
        if (batches.containsKey(batch.batchId())) {
            throw new PosUnbindException(CoreErrorCode.BATCH_EXISTS, "Batch " + batch.batchId() + " exists already");
        }
        NavigableMap<Integer, BatchRowRecord> byNumber = new TreeMap<>();
        for (BatchRowRecord row : batchRows) {
            byNumber.put(row.rowNumber(), row);
        }
        batches.put(batch.batchId(), batch);
        rows.put(batch.batchId(), byNumber);
    }

    @Override
    public synchronized Optional<BatchRecord> load(String batchId) {
        return Optional.ofNullable(batches.get(batchId));
    }

    @Override
    public synchronized boolean changeState(String batchId, BatchState from, BatchState to,
            Optional<Instant> finishedAt) {
        BatchRecord batch = batches.get(batchId);
        if (batch == null || batch.state() != from) {
            return false;
        }
        batches.put(batchId, new BatchRecord(batchId, to, batch.options(), batch.requestedBy(), batch.rowCount(),
                batch.createdAt(), batch.firstStartedAt(), finishedAt.isPresent() ? finishedAt : batch.finishedAt()));
        return true;
    }

    @Override
    public synchronized void recordFirstStart(String batchId, Instant at) {
        BatchRecord batch = batches.get(batchId);
        if (batch != null && batch.firstStartedAt().isEmpty()) {
            batches.put(batchId, new BatchRecord(batchId, batch.state(), batch.options(), batch.requestedBy(),
                    batch.rowCount(), batch.createdAt(), Optional.of(at), batch.finishedAt()));
        }
    }

    @Override
    public synchronized boolean leaseStarting(String batchId, String owner, Instant now, Instant until) {
        Starter holder = starters.get(batchId);
        if (!batches.containsKey(batchId)
                || holder != null && !holder.owner().equals(owner) && holder.until().isAfter(now)) {
            return false;
        }
        starters.put(batchId, new Starter(owner, until));
        return true;
    }

    @Override
    public synchronized void releaseStarting(String batchId, String owner) {
        starters.computeIfPresent(batchId, (id, holder) -> holder.owner().equals(owner) ? null : holder);
    }

    @Override
    public synchronized List<String> unfinishedBatchIds() {
        return batches.values().stream().filter(batch -> batch.finishedAt().isEmpty()).map(BatchRecord::batchId)
                .sorted().toList();
    }

    @Override
    public synchronized Set<String> pendingTimeZones(String batchId) {
        Set<String> zones = new TreeSet<>();
        rowsOf(batchId).values().stream().filter(row -> row.status() == BatchRowStatus.PENDING)
                .forEach(row -> zones.add(row.timeZone()));
        return zones;
    }

    @Override
    public synchronized List<BatchRowRecord> pendingRows(String batchId, Set<String> timeZones, int limit) {
        return select(batchId, row -> row.status() == BatchRowStatus.PENDING && timeZones.contains(row.timeZone()),
                limit);
    }

    @Override
    public synchronized List<BatchRowRecord> rowsIn(String batchId, BatchRowStatus status, int limit) {
        return select(batchId, row -> row.status() == status, limit);
    }

    @Override
    public synchronized List<BatchRowRecord> rows(String batchId, int afterRowNumber, int limit) {
        return rowsOf(batchId).tailMap(afterRowNumber, false).values().stream().limit(limit).toList();
    }

    @Override
    public synchronized Map<BatchRowStatus, Integer> countRows(String batchId) {
        Map<BatchRowStatus, Integer> counts = new EnumMap<>(BatchRowStatus.class);
        rowsOf(batchId).values().forEach(row -> counts.merge(row.status(), 1, Integer::sum));
        return counts;
    }

    @Override
    public synchronized Map<String, Integer> countOutcomes(String batchId) {
        Map<String, Integer> counts = new TreeMap<>();
        rowsOf(batchId).values().stream().filter(row -> row.status() == BatchRowStatus.ENDED)
                .forEach(row -> counts.merge(row.outcome().orElse(""), 1, Integer::sum));
        return counts;
    }

    @Override
    public synchronized boolean updateRow(BatchRowRecord row, BatchRowStatus expected) {
        NavigableMap<Integer, BatchRowRecord> byNumber = rowsOf(row.batchId());
        BatchRowRecord current = byNumber.get(row.rowNumber());
        if (current == null || current.status() != expected) {
            return false;
        }
        byNumber.put(row.rowNumber(), row);
        return true;
    }

    @Override
    public synchronized List<BatchRowRecord> pendingRowsOfTerminal(String providerId, String terminalSerial) {
        List<BatchRowRecord> found = new ArrayList<>();
        for (String batchId : unfinishedBatchIds()) {
            found.addAll(select(batchId, row -> row.status() == BatchRowStatus.PENDING
                    && row.providerId().equals(providerId) && row.terminalSerial().equals(terminalSerial),
                    Integer.MAX_VALUE));
        }
        return found;
    }

    private List<BatchRowRecord> select(String batchId, Predicate<BatchRowRecord> filter, int limit) {
        return rowsOf(batchId).values().stream().filter(filter).limit(limit).toList();
    }

    private NavigableMap<Integer, BatchRowRecord> rowsOf(String batchId) {
        return rows.getOrDefault(batchId, new TreeMap<>());
    }

    @Override
    public String toString() {
        return "InMemoryBatchStore";
    }
}
