package io.posunbind.store;

import static io.posunbind.store.CaseRecordBuilder.T0;
import static io.posunbind.store.CaseRecordBuilder.aCase;
import static io.posunbind.store.CaseRecordBuilder.nextVersionOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.callback.NonceStore;
import io.posunbind.internal.store.SchemaMigrator;
import io.posunbind.internal.store.SchemaScript;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.spi.PosUnbindException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcCaseStore} must do on every database it supports, beyond the {@link CaseStore}
 * contract: schema versions, reopening, and failures.
 */
abstract class JdbcCaseStoreContract extends CaseStoreContract {

    /** The dialect the subclass's database has. */
    protected abstract SqlDialect dialect();

    /** Removes every table the store may have made, so the next store starts on an empty database. */
    protected abstract void emptyDatabase() throws Exception;

    /** Opens a store on the test's database, as it is. */
    protected abstract JdbcCaseStore openStore();

    /** A connection to the test's database beside the store's own, to look at and tamper with it. */
    protected abstract Connection sideConnection() throws SQLException;

    /** The test's database as a DataSource, to open a store whose writes a test counts. */
    protected abstract DataSource dataSource();

    @Override
    protected final CaseStore openEmptyStore() throws Exception {
        emptyDatabase();
        return openStore();
    }

    @Test
    void callbackNoncesAreNewOnceUntilTheyExpireAndPerProvider() {
        io.posunbind.callback.NonceStore nonces = ((JdbcCaseStore) store).callbackNonces();
        assertTrue(nonces.markUsed("acme", "n1", T0.plusSeconds(60), T0));
        assertFalse(nonces.markUsed("acme", "n1", T0.plusSeconds(60), T0.plusSeconds(30)));
        assertFalse(nonces.markUsed("acme", "n1", T0.plusSeconds(60), T0.plusSeconds(60)), "kept up to its expiry");
        assertTrue(nonces.markUsed("other", "n1", T0.plusSeconds(60), T0.plusSeconds(60)), "nonces are per provider");
        assertTrue(nonces.markUsed("acme", "n1", T0.plusSeconds(200), T0.plusSeconds(61)), "new again after it");
        assertFalse(nonces.markUsed("acme", "n1", T0.plusSeconds(200), T0.plusSeconds(62)), "and kept again");
    }

    @Test
    void lookingAtACallbackNonceSpendsNothing() {
        NonceStore nonces = ((JdbcCaseStore) store).callbackNonces();
        assertFalse(nonces.isUsed("acme", "n1", T0));
        assertFalse(nonces.isUsed("acme", "n1", T0), "still unspent after a look");
        assertTrue(nonces.markUsed("acme", "n1", T0.plusSeconds(60), T0));
        assertTrue(nonces.isUsed("acme", "n1", T0.plusSeconds(60)), "spent up to its expiry");
        assertFalse(nonces.isUsed("other", "n1", T0.plusSeconds(1)), "per provider");
        assertFalse(nonces.isUsed("acme", "n1", T0.plusSeconds(61)), "forgotten after it");
    }

    /** Two instances spend one nonce at once (two deliveries of one callback): exactly one of them counts. */
    @Test
    void concurrentSpendsOfOneNonceOnTwoStoresAdmitExactlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (JdbcCaseStore other = openStore()) {
            List<NonceStore> instances = List.of(((JdbcCaseStore) store).callbackNonces(),
                    other.callbackNonces());
            for (int round = 0; round < 10; round++) {
                String nonce = "n" + round;
                AtomicInteger admitted = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    NonceStore nonces = instances.get(t % 2);
                    futures.add(pool.submit(() -> {
                        if (nonces.markUsed("acme", nonce, T0.plusSeconds(60), T0)) {
                            admitted.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
                assertEquals(1, admitted.get(), nonce);
                assertTrue(instances.get(round % 2).isUsed("acme", nonce, T0.plusSeconds(1)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Instances share a database: a callback one of them accepted is a replay for the others. */
    @Test
    void callbackNoncesAreSharedByEveryStoreOnTheDatabase() {
        try (JdbcCaseStore other = openStore()) {
            assertTrue(((JdbcCaseStore) store).callbackNonces().markUsed("acme", "n1", T0.plusSeconds(60), T0));
            assertFalse(other.callbackNonces().markUsed("acme", "n1", T0.plusSeconds(60), T0.plusSeconds(1)));
        }
    }

    @Test
    void expiredCallbackNoncesAreDeletedNowAndThen() throws SQLException {
        io.posunbind.callback.NonceStore nonces = ((JdbcCaseStore) store).callbackNonces();
        for (int i = 0; i < 3; i++) {
            assertTrue(nonces.markUsed("acme", "old-" + i, T0.plusSeconds(10), T0));
        }
        assertTrue(nonces.markUsed("acme", "new", T0.plusSeconds(400), T0.plusSeconds(120)));
        try (Connection connection = sideConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT nonce FROM posunbind_callback_nonce")) {
            List<String> kept = new java.util.ArrayList<>();
            while (rows.next()) {
                kept.add(rows.getString(1));
            }
            assertEquals(List.of("new"), kept);
        }
    }

    @Test
    void theStoreDetectsItsDatabase() {
        assertEquals(dialect(), ((JdbcCaseStore) store).dialect());
    }

    @Test
    void casesSurviveReopeningAndTheSchemaIsNotAppliedAgain() throws Exception {
        CaseRecord record = aCase("case-1").wakeAt(T0).document("{\"kept\":\"✓\"}").build();
        store.insert(record);
        List<String> versionsBefore = recordedSchemaVersions();
        ((JdbcCaseStore) store).close();

        store = openStore();

        assertAll(() -> assertEquals(Optional.of(record), store.load("case-1")),
                () -> assertEquals(List.of("1 cases", "2 leases and outbox", "3 one open case per terminal", "4 drop terminal index", "5 callback nonces", "6 find stuck cases", "7 provider references", "8 write once parts", "9 batches", "10 provider limit shares", "11 operation limit shares", "12 batch starter"), versionsBefore.stream().map(v -> v.split("@")[0]).toList()),
                () -> assertEquals(versionsBefore, recordedSchemaVersions()));
    }

    @Test
    void aLaterSchemaVersionIsAppliedAloneAndOnce() throws Exception {
        store.insert(aCase("case-1").build());
        ((JdbcCaseStore) store).close();
        List<SchemaScript> scripts = new ArrayList<>(JdbcCaseStore.schemaScripts(dialect()));
        scripts.add(SchemaScript.fromResource(getClass(), "/io/posunbind/store/schema-v2-test", "V99__operator_note.sql"));
        SchemaMigrator migrator = new SchemaMigrator(dialect(), scripts, Clock.fixed(T0, ZoneOffset.UTC));

        try (Connection connection = sideConnection()) {
            assertEquals(List.of(99), migrator.migrate(connection));
            assertEquals(List.of(), migrator.migrate(connection));
            assertTrue(connection.getAutoCommit());
        }
        store = openStore();

        assertEquals(List.of("1 cases", "2 leases and outbox", "3 one open case per terminal", "4 drop terminal index", "5 callback nonces", "6 find stuck cases", "7 provider references", "8 write once parts", "9 batches", "10 provider limit shares", "11 operation limit shares", "12 batch starter", "99 operator note@" + T0.toEpochMilli()),
                recordedSchemaVersions().stream().map(v -> v.startsWith("99 ") ? v : v.split("@")[0]).toList());
        store.insert(aCase("case-2").build());
        assertTrue(store.load("case-1").isPresent());
        assertTrue(store.load("case-2").isPresent());
    }

    /**
     * Cases stored before schema V6 get their wait on migration: the reason from the document, the start
     * of the wait from the document where it kept one, else the last change.
     */
    @Test
    void casesWaitingBeforeVersion6AreFoundByTheirWaitAfterTheUpgrade() throws Exception {
        ((JdbcCaseStore) store).close();
        emptyDatabase();
        List<SchemaScript> upToV5 = JdbcCaseStore.schemaScripts(dialect()).stream()
                .filter(script -> script.version() <= 5).toList();
        long sinceMillis = T0.plusMillis(123).toEpochMilli();
        try (Connection connection = sideConnection()) {
            new SchemaMigrator(dialect(), upToV5, Clock.fixed(T0, ZoneOffset.UTC)).migrate(connection);
            insertV5Row(connection, "decision", "WAITING", T0.plusSeconds(3600), "{\"id\":\"decision\",\"state\":\"WAITING\","
                    + "\"waitingFor\":\"INSTITUTION_DECISION\",\"history\":[{\"detail\":\"\\\"waitingSince\\\":\\\"1999\"}],"
                    + "\"waitingSince\":\"2026-03-01T09:00:00.123456Z\"}");
            insertV5Row(connection, "retry", "WAITING", T0.plusSeconds(7200),
                    "{\"id\":\"retry\",\"state\":\"WAITING\",\"waitingFor\":\"RETRY\"}");
            insertV5Row(connection, "done", "COMPLETED", T0, "{\"id\":\"done\",\"state\":\"COMPLETED\"}");
        }

        store = openStore();

        CaseRecord decision = store.load("decision").orElseThrow();
        CaseRecord retry = store.load("retry").orElseThrow();
        assertAll(() -> assertEquals(Optional.of("INSTITUTION_DECISION"), decision.waitReason()),
                () -> assertEquals(Optional.of(Instant.ofEpochMilli(sinceMillis)), decision.waitingSince()),
                () -> assertEquals(Optional.of("RETRY"), retry.waitReason()),
                () -> assertEquals(Optional.of(T0.plusSeconds(7200)), retry.waitingSince()),
                () -> assertEquals(Optional.empty(), store.load("done").orElseThrow().waitReason()),
                () -> assertEquals(List.of("decision"), ids(store.findCases(CaseFilter.builder()
                        .waitingFor(WaitReason.INSTITUTION_DECISION)
                        .waitingSinceBefore(T0.plusSeconds(1)).build()))));
    }

    /**
     * Open cases stored before schema V7 are found by their application and operation references after the
     * upgrade, read from their documents; closed cases are left out.
     */
    @Test
    void casesOpenBeforeVersion7AreFoundByTheirProvidersReferencesAfterTheUpgrade() throws Exception {
        ((JdbcCaseStore) store).close();
        emptyDatabase();
        List<SchemaScript> upToV6 = JdbcCaseStore.schemaScripts(dialect()).stream()
                .filter(script -> script.version() <= 6).toList();
        try (Connection connection = sideConnection()) {
            new SchemaMigrator(dialect(), upToV6, Clock.fixed(T0, ZoneOffset.UTC)).migrate(connection);
            insertV5Row(connection, "waiting", "WAITING", T0, "{\"id\":\"waiting\",\"steps\":[{\"number\":1,"
                    + "\"providerReference\":\"SBX-DEV-000001\"},{\"number\":2,\"providerReference\":\"SBX-ACC-000002\"}],"
                    + "\"applicationReference\":\"SBX-APP-000003\"}");
            insertV5Row(connection, "done", "COMPLETED", T0, "{\"id\":\"done\",\"applicationReference\":\"SBX-APP-9\"}");
        }

        store = openStore();

        assertAll(() -> assertEquals(List.of("waiting"), store.findByProviderReference("sandbox", "SBX-DEV-000001")),
                () -> assertEquals(List.of("waiting"), store.findByProviderReference("sandbox", "SBX-ACC-000002")),
                () -> assertEquals(List.of("waiting"), store.findByProviderReference("sandbox", "SBX-APP-000003")),
                () -> assertEquals(List.of(), store.findByProviderReference("sandbox", "SBX-APP-9")));
    }

    /** A case document as the engine writes it: its request first, the inventory once taken, then steps. */
    private static String engineDocument(long version, String state, int stepsDone, boolean inventoried) {
        StringBuilder steps = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            steps.append(i == 1 ? "" : ",").append("{\"number\":").append(i).append(",\"kind\":\"STEP_").append(i)
                    .append("\"").append(i <= stepsDone ? ",\"status\":\"DONE\"" : "").append("}");
        }
        return "{\"format\":1,\"id\":\"case-1\",\"version\":" + version + ",\"request\":{\"providerId\":\"sandbox\","
                + "\"merchantNumber\":\"M000000001\",\"terminalSerial\":\"SN00000001\",\"reason\":\"DEVICE_FAULTY\","
                + "\"documents\":[{\"type\":\"BUSINESS_LICENCE\",\"merchantName\":\"\\u5546\\u6237\"}]},"
                + "\"state\":\"" + state + "\",\"steps\":[" + steps + "]"
                + (inventoried ? ",\"terminal\":{\"serialNumber\":\"SN00000001\",\"model\":\"PAX A920\","
                        + "\"status\":\"ACTIVE\",\"boundMerchantNumbers\":[\"M000000001\"],\"peripherals\":[]}" : "")
                + ",\"history\":[{\"event\":\"CASE_OPENED\",\"detail\":\"\\\"request\\\":{}\"}]}";
    }

    /**
     * Data written once is stored once (schema V8): the request goes to the store with the case's first write
     * and the inventory with the write that first carries it, each once; later writes, as the case's steps
     * move, write the case row alone and send none of them again, also from another instance that never
     * saw the case before. Counted at the JDBC boundary; every load gives back the document as written.
     */
    @Test
    void writeOnceValuesAreWrittenWithTheFirstWriteThatCarriesThemAndNotAgainAsTheStepsMove() {
        ((JdbcCaseStore) store).close();
        WriteCountingDataSource counted = new WriteCountingDataSource("posunbind_case_part");
        store = JdbcCaseStore.create(counted.wrap(dataSource()));
        CaseRecord opened = aCase("case-1").document(engineDocument(1, "RUNNING", 0, false)).build();
        store.insert(opened);
        assertEquals(1, counted.tableWrites(), "the request, with the insert");
        CaseRecord inventoried = nextVersionOf(opened, T0.plusSeconds(1))
                .document(engineDocument(2, "RUNNING", 1, true)).build();
        store.update(inventoried, 1);
        assertEquals(2, counted.tableWrites(), "the inventory, with the write that first carries it");
        assertEquals(Optional.of(inventoried), store.load("case-1"));

        CaseRecord current = inventoried;
        for (int step = 2; step <= 4; step++) {
            long bytesBefore = counted.bytesSent();
            CaseRecord next = nextVersionOf(current, T0.plusSeconds(step))
                    .document(engineDocument(step + 1, "RUNNING", step, true)).build();
            store.update(next, current.version());
            long sent = counted.bytesSent() - bytesBefore;
            assertTrue(sent < next.document().length() - 200, "a step sent " + sent + " of "
                    + next.document().length() + " characters");
            assertEquals(Optional.of(next), store.load("case-1"));
            current = next;
        }
        assertEquals(2, counted.tableWrites(), "nothing written once was written again");

        try (JdbcCaseStore otherInstance = JdbcCaseStore.create(counted.wrap(dataSource()))) {
            CaseRecord last = nextVersionOf(current, T0.plusSeconds(9))
                    .document(engineDocument(current.version() + 1, "WAITING", 5, true)).build();
            otherInstance.update(last, current.version());
            assertAll(() -> assertEquals(2, counted.tableWrites(), "another instance compares what is stored"),
                    () -> assertEquals(Optional.of(last), store.load("case-1")));
        }
    }

    /** A write-once value that changes after all is written again, and one a document drops is deleted. */
    @Test
    void aWriteOnceValueThatChangesIsStoredAgainAndOneDroppedIsDeleted() throws SQLException {
        CaseRecord opened = aCase("case-1").document(engineDocument(1, "RUNNING", 1, true)).build();
        store.insert(opened);
        CaseRecord changed = nextVersionOf(opened, T0.plusSeconds(1)).document(engineDocument(2, "RUNNING", 1, true)
                .replace("PAX A920", "PAX A920Pro")).build();
        store.update(changed, 1);
        assertEquals(Optional.of(changed), store.load("case-1"));
        assertEquals(2, partRows("case-1"));

        CaseRecord dropped = nextVersionOf(changed, T0.plusSeconds(2)).document(engineDocument(3, "RUNNING", 2, false))
                .build();
        store.update(dropped, 2);
        assertAll(() -> assertEquals(Optional.of(dropped), store.load("case-1")),
                () -> assertEquals(1, partRows("case-1")),
                () -> assertEquals(List.of(dropped), store.findCases(CaseFilter.builder().build())));
    }

    /**
     * A stored part that is not the one its case row was written with (here an older version of it, of the same
     * length, put back behind the store's back) makes the case unreadable with UNB-STORE-CORRUPT, never read as a
     * document that says something else. A worker's claim sets that case aside, leased to the claimer for a while,
     * and still returns the other due cases, instead of failing every claim behind it.
     */
    @Test
    void aPartThatIsNotTheOneItsCaseWasWrittenWithIsFoundAndTheClaimSetsTheCaseAside() throws SQLException {
        CaseRecord first = aCase("case-1").wakeAt(T0).document(engineDocument(1, "RUNNING", 1, true)).build();
        store.insert(first);
        store.insert(aCase("case-2").wakeAt(T0).document(engineDocument(1, "RUNNING", 1, true)).build());
        Object older;
        try (Connection connection = sideConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT content FROM posunbind_case_part"
                        + " WHERE case_id = 'case-1' AND name = 'terminal'")) {
            row.next();
            older = dialect() == SqlDialect.H2 ? row.getString(1) : row.getBytes(1);
        }
        CaseRecord changed = nextVersionOf(first, T0).wakeAt(T0)
                .document(engineDocument(2, "RUNNING", 1, true).replace("PAX A920", "PAX A930")).build();
        store.update(changed, 1);
        try (Connection connection = sideConnection(); PreparedStatement putBack = connection.prepareStatement(
                "UPDATE posunbind_case_part SET content = ? WHERE case_id = 'case-1' AND name = 'terminal'")) {
            putBack.setObject(1, older);
            assertEquals(1, putBack.executeUpdate());
        }

        PosUnbindException unreadable = assertThrows(PosUnbindException.class, () -> store.load("case-1"));
        List<ClaimedCase> claimed = store.claimDue("worker-a", T0.plusSeconds(1), Duration.ofSeconds(30), 10);
        List<ClaimedCase> soonAfter = store.claimDue("worker-b", T0.plusSeconds(60), Duration.ofSeconds(30), 10);

        assertAll(() -> assertEquals(CoreErrorCode.STORE_CORRUPT, unreadable.errorCode()),
                () -> assertTrue(unreadable.getMessage().contains("the stored part terminal is not the one the case"
                        + " was written with"), unreadable.getMessage()),
                () -> assertEquals(List.of("case-2"), claimed.stream().map(claim -> claim.record().caseId()).toList()),
                () -> assertEquals(List.of("case-2"), soonAfter.stream().map(claim -> claim.record().caseId())
                        .toList(), "case-1 stays set aside; case-2's lease of 30 s had expired"),
                () -> assertEquals(Optional.of(T0.plusSeconds(1).plus(Duration.ofMinutes(15))),
                        leaseUntil("case-1")));
    }

    private Optional<Instant> leaseUntil(String caseId) throws SQLException {
        try (Connection connection = sideConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT lease_until FROM posunbind_case WHERE case_id = ?")) {
            query.setString(1, caseId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long until = rows.getLong(1);
                return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(until));
            }
        }
    }

    /**
     * Cases stored whole before schema V8 have their write-once values moved to rows of their own when the
     * store upgrades the database, and read exactly as before; a document that is no JSON object stays whole.
     */
    @Test
    void casesStoredBeforeVersion8HaveTheirWriteOnceValuesMovedOutAndReadTheSame() throws Exception {
        ((JdbcCaseStore) store).close();
        emptyDatabase();
        List<SchemaScript> upToV7 = JdbcCaseStore.schemaScripts(dialect()).stream()
                .filter(script -> script.version() <= 7).toList();
        String waiting = engineDocument(1, "WAITING", 3, true);
        try (Connection connection = sideConnection()) {
            new SchemaMigrator(dialect(), upToV7, Clock.fixed(T0, ZoneOffset.UTC)).migrate(connection);
            insertV5Row(connection, "case-1", "WAITING", T0, waiting);
            insertV5Row(connection, "plain", "WAITING", T0, "not JSON, \"request\":{}");
        }

        store = openStore();

        int rowLength;
        try (Connection connection = sideConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT LENGTH(document) FROM posunbind_case WHERE case_id = 'case-1'")) {
            row.next();
            rowLength = row.getInt(1);
        }
        int movedLength = rowLength;
        assertAll(() -> assertEquals(waiting, store.load("case-1").orElseThrow().document()),
                () -> assertEquals("not JSON, \"request\":{}", store.load("plain").orElseThrow().document()),
                () -> assertEquals(2, partRows("case-1")),
                () -> assertEquals(0, partRows("plain")),
                () -> assertTrue(movedLength < waiting.length() - 250, movedLength + " of " + waiting.length()));
    }

    private int partRows(String caseId) throws SQLException {
        try (Connection connection = sideConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT COUNT(*) FROM posunbind_case_part WHERE case_id = ?")) {
            query.setString(1, caseId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static void insertV5Row(Connection connection, String caseId, String state, Instant updatedAt,
            String document) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO posunbind_case (case_id, version, state,"
                + " provider_id, merchant_number, terminal_serial, is_open, wake_at, created_at, updated_at, document)"
                + " VALUES (?, 1, ?, 'sandbox', 'M-1', ?, ?, NULL, ?, ?, ?)")) {
            insert.setString(1, caseId);
            insert.setString(2, state);
            insert.setString(3, "SN-" + caseId);
            insert.setBoolean(4, state.equals("WAITING"));
            insert.setLong(5, T0.toEpochMilli());
            insert.setLong(6, updatedAt.toEpochMilli());
            insert.setString(7, document);
            insert.executeUpdate();
        }
    }

    @Test
    void aFailingDatabaseIsReportedRetryableWithoutTheDocumentAndTheStoreRecovers() throws Exception {
        String secret = "IDENTITY-110101199003071234";
        CaseRecord v1 = aCase("case-1").document("{\"id\":\"" + secret + "\"}").build();
        store.insert(v1);
        CaseRecord v2 = nextVersionOf(v1, T0.plusSeconds(1)).state("NEXT").build();

        try (Connection side = sideConnection(); Statement statement = side.createStatement()) {
            statement.execute("ALTER TABLE posunbind_case RENAME TO posunbind_case_away");
            PosUnbindException failure = assertThrows(PosUnbindException.class, () -> store.update(v2, 1));
            assertAll(() -> assertEquals(CoreErrorCode.STORE_UNAVAILABLE, failure.errorCode()),
                    () -> assertTrue(failure.retryable()),
                    () -> assertFalse(failure.getMessage().contains(secret), failure.getMessage()),
                    () -> assertTrue(failure.getMessage().contains("case-1"), failure.getMessage()));
            PosUnbindException loadFailure = assertThrows(PosUnbindException.class, () -> store.load("case-1"));
            assertEquals(CoreErrorCode.STORE_UNAVAILABLE, loadFailure.errorCode());

            statement.execute("ALTER TABLE posunbind_case_away RENAME TO posunbind_case");
        }

        store.update(v2, 1);
        assertEquals(Optional.of(v2), store.load("case-1"));
    }

    @Test
    void aClosedStoreRefusesWork() {
        JdbcCaseStore jdbcStore = (JdbcCaseStore) store;
        jdbcStore.close();
        jdbcStore.close();

        assertThrows(IllegalStateException.class, () -> store.load("case-1"));
        assertThrows(IllegalStateException.class, () -> store.insert(aCase("case-1").build()));
    }

    /** The rows of the schema version table as "version description@appliedAt", by version. */
    private List<String> recordedSchemaVersions() throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = sideConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT version, description, applied_at FROM posunbind_schema_version ORDER BY version")) {
            while (rows.next()) {
                versions.add(rows.getInt(1) + " " + rows.getString(2) + "@" + rows.getLong(3));
            }
        }
        return versions;
    }
}
