package io.posunbind.store;

import io.posunbind.internal.store.CaseParts;
import io.posunbind.internal.store.ConnectionPool;
import io.posunbind.internal.store.DocumentParts;
import io.posunbind.internal.store.GroupCommit;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.internal.store.SqlStates;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link JdbcCaseStore}'s writes of case rows: inserts, versioned updates and reschedules, each through the
 * group commit, with the case's write-once parts (schema V8) and provider references (schema V7) in the same
 * transaction when the write carries new ones. Thread-safe.
 */
final class JdbcCaseWrites {

    private static final String INSERT = "INSERT INTO posunbind_case (" + JdbcCaseReads.CASE_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE posunbind_case SET version = ?, state = ?, provider_id = ?, "
            + "merchant_number = ?, terminal_serial = ?, is_open = ?, wake_at = ?, created_at = ?, updated_at = ?, "
            + "document = ?, lease_owner = ?, lease_until = ?, events_pending = ?, wait_reason = ?, waiting_since = ?,"
            + " part_layout = ? WHERE case_id = ? AND version = ?";
    /** A poll that found nothing new: the wake time and the lease change, the document and update time stay. */
    private static final String RESCHEDULE = "UPDATE posunbind_case SET version = ?, wake_at = ?, lease_owner = ?,"
            + " lease_until = ? WHERE case_id = ? AND version = ?";
    /** Schema V7: a provider's references of a case, written once, with the write that first carries them. */
    private static final String INDEX_REFERENCE = "INSERT INTO posunbind_provider_reference (provider_id, reference,"
            + " case_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    /**
     * H2 has no ON CONFLICT, and its MERGE would rewrite every existing row on every case update: insert only
     * what is missing. No other writer adds the same row meanwhile: an update holds the case's row, and an
     * inserted case is new.
     */
    private static final String INDEX_REFERENCE_H2 = "INSERT INTO posunbind_provider_reference (provider_id,"
            + " reference, case_id) SELECT ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM"
            + " posunbind_provider_reference WHERE provider_id = ? AND reference = ? AND case_id = ?)";

    private final GroupCommit writes;
    private final SqlDialect dialect;
    private final CaseParts parts;

    JdbcCaseWrites(GroupCommit writes, SqlDialect dialect, CaseParts parts) {
        this.writes = writes;
        this.dialect = dialect;
        this.parts = parts;
    }

    void insert(CaseRecord record) {
        CaseStoreRules.checkInsert(record);
        DocumentParts.Split split = DocumentParts.split(record.document());
        Map<String, String> none = Map.of();
        Map<String, String>[] stored = newDigests();
        try {
            write(record, split, Optional.of(none), connection -> {
                PreparedStatement insert = connection.prepare(INSERT);
                insert.setString(1, record.caseId());
                insert.setLong(2, record.version());
                setCaseFields(insert, 3, record, split);
                int inserted = insert.executeUpdate();
                stored[0] = parts.write(connection, record.caseId(), split, Optional.of(none));
                indexReferences(connection, record);
                return inserted;
            });
            parts.remember(record.caseId(), record.version(), stored[0]);
        } catch (SQLException e) {
            parts.forget(record.caseId());
            // CaseRecord guarantees every NOT NULL column a value, so the constraints an insert can break
            // are the primary key and the one open case per terminal; both mean a duplicate case.
            if (SqlStates.isIntegrityViolation(e)) {
                throw CaseStoreRules.duplicateCase(record.caseId());
            }
            throw JdbcFailures.failure("insert case " + record.caseId(), e);
        }
    }

    void update(CaseRecord record, long expectedVersion) {
        CaseStoreRules.checkUpdate(record, expectedVersion);
        DocumentParts.Split split = DocumentParts.split(record.document());
        Optional<Map<String, String>> known = parts.known(record.caseId(), expectedVersion);
        Map<String, String>[] stored = newDigests();
        int updated;
        try {
            updated = write(record, split, known, connection -> {
                PreparedStatement update = connection.prepare(UPDATE);
                update.setLong(1, record.version());
                setCaseFields(update, 2, record, split);
                update.setString(17, record.caseId());
                update.setLong(18, expectedVersion);
                int changed = update.executeUpdate();
                if (changed == 1) {
                    // The update holds the case's row, so no other writer of this case writes its parts or
                    // indexes its references at once.
                    stored[0] = parts.write(connection, record.caseId(), split, known);
                    indexReferences(connection, record);
                }
                return changed;
            });
        } catch (SQLException e) {
            parts.forget(record.caseId());
            throw JdbcFailures.failure("update case " + record.caseId(), e);
        } catch (RuntimeException e) {
            parts.forget(record.caseId());
            throw e;
        }
        if (updated == 0) {
            parts.forget(record.caseId());
            throw new StaleCaseVersionException(record.caseId(), expectedVersion);
        }
        parts.remember(record.caseId(), record.version(), stored[0]);
    }

    void reschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt, Optional<String> leaseOwner,
            Optional<Instant> leaseUntil) {
        CaseStoreRules.checkReschedule(caseId, expectedVersion, wakeAt, leaseOwner, leaseUntil);
        int updated;
        try {
            updated = writes.run(caseId, connection -> {
                PreparedStatement reschedule = connection.prepare(RESCHEDULE);
                reschedule.setLong(1, expectedVersion + 1);
                setMillisOrNull(reschedule, 2, wakeAt);
                reschedule.setString(3, leaseOwner.orElse(null));
                setMillisOrNull(reschedule, 4, leaseUntil);
                reschedule.setString(5, caseId);
                reschedule.setLong(6, expectedVersion);
                return reschedule.executeUpdate();
            });
        } catch (SQLException e) {
            parts.forget(caseId);
            throw JdbcFailures.failure("reschedule case " + caseId, e);
        }
        if (updated == 0) {
            parts.forget(caseId);
            throw new StaleCaseVersionException(caseId, expectedVersion);
        }
        parts.advance(caseId, expectedVersion);
    }

    /**
     * Runs an insert or update of the record; one that also writes parts or indexes provider references has
     * several statements, which must commit together also when the write runs alone.
     */
    private <T> T write(CaseRecord record, DocumentParts.Split split, Optional<Map<String, String>> known,
            GroupCommit.Write<T> write) throws SQLException {
        boolean partsUnchanged = known.isPresent() && known.get().equals(digests(split));
        return record.providerReferences().isEmpty() && partsUnchanged ? writes.run(record.caseId(), write)
                : writes.runStatements(record.caseId(), write);
    }

    private static Map<String, String> digests(DocumentParts.Split split) {
        Map<String, String> digests = new HashMap<>();
        for (DocumentParts.Part part : split.parts()) {
            digests.put(part.name(), part.digest());
        }
        return digests;
    }

    /** Where a write lambda leaves the digests of the parts it stored (its last run is the one committed). */
    @SuppressWarnings("unchecked")
    private static Map<String, String>[] newDigests() {
        return new Map[] {Map.of()};
    }

    /** Indexes the record's provider references in the write's own transaction. */
    private void indexReferences(ConnectionPool.PooledConnection connection, CaseRecord record) throws SQLException {
        if (record.providerReferences().isEmpty()) {
            return;
        }
        PreparedStatement index = connection.prepare(dialect == SqlDialect.H2 ? INDEX_REFERENCE_H2 : INDEX_REFERENCE);
        index.clearBatch();
        // Sorted, so two writes of different cases take the index's entries in one order.
        for (String reference : record.providerReferences().stream().sorted().toList()) {
            index.setString(1, record.providerId());
            index.setString(2, reference);
            index.setString(3, record.caseId());
            if (dialect == SqlDialect.H2) {
                index.setString(4, record.providerId());
                index.setString(5, reference);
                index.setString(6, record.caseId());
            }
            index.addBatch();
        }
        index.executeBatch();
    }

    /**
     * Sets state through the part layout, the columns insert and update share, from parameter {@code first} on;
     * the document column gets the split's skeleton.
     */
    private static void setCaseFields(PreparedStatement statement, int first, CaseRecord record,
            DocumentParts.Split split) throws SQLException {
        statement.setString(first, record.state());
        statement.setString(first + 1, record.providerId());
        statement.setString(first + 2, record.merchantNumber());
        statement.setString(first + 3, record.terminalSerial());
        statement.setBoolean(first + 4, record.open());
        if (record.wakeAt().isPresent()) {
            statement.setLong(first + 5, record.wakeAt().get().toEpochMilli());
        } else {
            statement.setNull(first + 5, Types.BIGINT);
        }
        statement.setLong(first + 6, record.createdAt().toEpochMilli());
        statement.setLong(first + 7, record.updatedAt().toEpochMilli());
        statement.setString(first + 8, split.skeleton());
        if (record.leaseOwner().isPresent()) {
            statement.setString(first + 9, record.leaseOwner().get());
            statement.setLong(first + 10, record.leaseUntil().orElseThrow().toEpochMilli());
        } else {
            statement.setNull(first + 9, Types.VARCHAR);
            statement.setNull(first + 10, Types.BIGINT);
        }
        statement.setBoolean(first + 11, record.eventsPending());
        statement.setString(first + 12, record.waitReason().orElse(null));
        setMillisOrNull(statement, first + 13, record.waitingSince());
        statement.setString(first + 14, split.layout().orElse(null));
    }

    private static void setMillisOrNull(PreparedStatement statement, int index, Optional<Instant> instant)
            throws SQLException {
        if (instant.isPresent()) {
            statement.setLong(index, instant.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }
}
