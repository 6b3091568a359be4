package io.posunbind.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The write-once parts of case documents in {@code posunbind_case_part} (schema V8): written with the case
 * write that first carries them, in its transaction, and not again while they stay the same.
 *
 * <p>To know without reading which parts a case already has, the store remembers, per case and version it
 * wrote or loaded, each part's digest (a bounded memory of the most recent cases). A write whose expected
 * version matches what is remembered compares digests and writes only parts that are new or changed; any
 * other write reads the stored digests first, in its own transaction, after its update of the case row
 * holds the row. The case row's layout names the parts that belong to it, so a part row it no longer names
 * is never read; parts are written with an upsert, so a stale memory costs a write, never a failure.
 *
 * <p>Thread-safe.
 */
public final class CaseParts {

    /** Enough for every case a pool of workers has in hand; a case forgotten costs one read of its digests. */
    private static final int REMEMBERED_CASES = 4096;

    private static final String UPSERT = "INSERT INTO posunbind_case_part (case_id, name, content)"
            + " VALUES (?, ?, ?) ON CONFLICT (case_id, name) DO UPDATE SET content = EXCLUDED.content";
    private static final String UPSERT_H2 = "MERGE INTO posunbind_case_part (case_id, name, content)"
            + " KEY (case_id, name) VALUES (?, ?, ?)";
    private static final String DELETE = "DELETE FROM posunbind_case_part WHERE case_id = ? AND name = ?";
    /** Digests are not stored (random-looking, they would not compress): they are computed from the parts read. */
    private static final String STORED = "SELECT name, content FROM posunbind_case_part WHERE case_id = ?";

    /** Cases moved per transaction by {@link #moveOut}. */
    private static final int MOVE_PAGE = 200;
    private static final String WHOLE_DOCUMENTS = "SELECT case_id, version, document FROM posunbind_case"
            + " WHERE part_layout IS NULL AND case_id > ? ORDER BY case_id LIMIT ?";
    private static final String CUT_DOCUMENT = "UPDATE posunbind_case SET document = ?, part_layout = ?"
            + " WHERE case_id = ? AND version = ? AND part_layout IS NULL";

    private final SqlDialect dialect;
    private final Map<String, Remembered> remembered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > REMEMBERED_CASES;
        }
    };

    /** The digests of a case's parts at one of its versions. */
    private record Remembered(long version, Map<String, String> digests) {
    }

    public CaseParts(SqlDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * The digests of the case's stored parts when they are known for {@code version} without reading;
     * empty otherwise. A case not yet inserted has none: pass an empty map to {@link #write} instead.
     */
    public synchronized Optional<Map<String, String>> known(String caseId, long version) {
        Remembered entry = remembered.get(caseId);
        return entry != null && entry.version() == version ? Optional.of(entry.digests()) : Optional.empty();
    }

    /**
     * Writes the parts of a case write that are new or changed, and deletes the ones it no longer has, on the
     * write's connection and in its transaction.
     *
     * @param stored the digests of the parts stored now, or empty to read them
     * @return the digests of the parts stored after this write, to {@link #remember} once it committed
     */
    public Map<String, String> write(ConnectionPool.PooledConnection connection, String caseId,
            DocumentParts.Split split, Optional<Map<String, String>> stored) throws SQLException {
        Map<String, String> before = stored.isPresent() ? stored.get() : read(connection, caseId);
        Map<String, String> after = new HashMap<>();
        PreparedStatement upsert = null;
        for (DocumentParts.Part part : split.parts()) {
            String digest = part.digest();
            after.put(part.name(), digest);
            if (digest.equals(before.get(part.name()))) {
                continue;
            }
            if (upsert == null) {
                upsert = connection.prepare(dialect == SqlDialect.H2 ? UPSERT_H2 : UPSERT);
                upsert.clearBatch();
            }
            upsert.setString(1, caseId);
            upsert.setString(2, part.name());
            setContent(upsert, 3, part.text());
            upsert.addBatch();
        }
        if (upsert != null) {
            upsert.executeBatch();
        }
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                PreparedStatement delete = connection.prepare(DELETE);
                delete.setString(1, caseId);
                delete.setString(2, name);
                delete.executeUpdate();
            }
        }
        return Map.copyOf(after);
    }

    /** Remembers the digests of a case's parts at a version it has now (written or loaded). */
    public synchronized void remember(String caseId, long version, Map<String, String> digests) {
        remembered.put(caseId, new Remembered(version, Map.copyOf(digests)));
    }

    /** The case moved to the next version without a change of its parts (a reschedule). */
    public synchronized void advance(String caseId, long fromVersion) {
        Remembered entry = remembered.get(caseId);
        if (entry != null && entry.version() == fromVersion) {
            remembered.put(caseId, new Remembered(fromVersion + 1, entry.digests()));
        }
    }

    /** Forgets a case whose write's outcome is unknown. */
    public synchronized void forget(String caseId) {
        remembered.remove(caseId);
    }

    /**
     * Schema V8's move of the write-once values of cases stored before it: each whole document is split, a
     * page of cases per transaction. A case a writer changed meanwhile is left as it is (its row no longer
     * has the version read, or has a layout already): it was split by that write, or will be by its next.
     *
     * @return how many cases were moved
     */
    public int moveOut(ConnectionPool.PooledConnection connection) throws SQLException {
        int moved = 0;
        String after = "";
        boolean autoCommit = connection.connection().getAutoCommit();
        connection.connection().setAutoCommit(false);
        try {
            while (true) {
                PreparedStatement page = connection.prepare(WHOLE_DOCUMENTS);
                page.setString(1, after);
                page.setInt(2, MOVE_PAGE);
                Map<String, Object[]> cases = new LinkedHashMap<>();
                try (ResultSet rows = page.executeQuery()) {
                    while (rows.next()) {
                        cases.put(rows.getString(1), new Object[] {rows.getLong(2), rows.getString(3)});
                    }
                }
                if (cases.isEmpty()) {
                    break;
                }
                for (Map.Entry<String, Object[]> entry : cases.entrySet()) {
                    after = entry.getKey();
                    DocumentParts.Split split = DocumentParts.split((String) entry.getValue()[1]);
                    if (split.layout().isEmpty()) {
                        continue;
                    }
                    PreparedStatement cut = connection.prepare(CUT_DOCUMENT);
                    cut.setString(1, split.skeleton());
                    cut.setString(2, split.layout().get());
                    cut.setString(3, entry.getKey());
                    cut.setLong(4, (Long) entry.getValue()[0]);
                    if (cut.executeUpdate() == 1) {
                        write(connection, entry.getKey(), split, Optional.of(Map.of()));
                        moved++;
                    }
                }
                connection.connection().commit();
            }
        } catch (SQLException | RuntimeException e) {
            connection.connection().rollback();
            throw e;
        } finally {
            connection.connection().setAutoCommit(autoCommit);
        }
        return moved;
    }

    /**
     * A part's text from a result column: text on H2 (which compresses its pages itself), compressed bytes on
     * PostgreSQL (see {@link PartCompression}).
     *
     * @throws IllegalArgumentException when a stored part cannot be read back
     */
    public String content(ResultSet row, int column) throws SQLException {
        return dialect == SqlDialect.H2 ? row.getString(column) : PartCompression.decompress(row.getBytes(column));
    }

    private void setContent(PreparedStatement statement, int index, String text) throws SQLException {
        if (dialect == SqlDialect.H2) {
            statement.setString(index, text);
        } else {
            statement.setBytes(index, PartCompression.compress(text));
        }
    }

    private Map<String, String> read(ConnectionPool.PooledConnection connection, String caseId)
            throws SQLException {
        PreparedStatement query = connection.prepare(STORED);
        query.setString(1, caseId);
        Map<String, String> digests = new HashMap<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                digests.put(rows.getString(1), DocumentParts.digest(content(rows, 2)));
            }
        }
        return digests;
    }
}
