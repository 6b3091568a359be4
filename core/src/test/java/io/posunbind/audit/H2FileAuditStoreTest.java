package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.JdbcCaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC audit store on an H2 file database in a temporary directory, new for each test. */
class H2FileAuditStoreTest extends AuditStoreContract {

    @TempDir
    Path directory;

    @Override
    protected AuditStore openEmptyStore() {
        return JdbcAuditStore.h2File(directory.resolve("store"));
    }

    private String url() {
        return "jdbc:h2:file:" + directory.resolve("store").resolve("posunbind") + ";LOCK_TIMEOUT=10000";
    }

    @Test
    void theTrailSurvivesClosingAndReopening() {
        List<AuditRecord> records = chain(5);
        records.forEach(store::appendRecord);
        ((JdbcAuditStore) store).close();
        assertTrue(Files.isRegularFile(directory.resolve("store").resolve("posunbind.mv.db")));
        try (JdbcAuditStore reopened = JdbcAuditStore.h2File(directory.resolve("store"))) {
            assertEquals(records, reopened.readRange(1, 5));
            assertEquals(SqlDialect.H2, reopened.dialect());
        }
        store = JdbcAuditStore.open(url());
        assertEquals(Optional.of(records.get(4)), store.latestRecord());
    }

    @Test
    void casesAndTheirAuditTrailShareOneDatabaseFile() {
        try (JdbcCaseStore cases = JdbcCaseStore.h2File(directory.resolve("store"))) {
            Instant now = Instant.parse("2025-03-01T08:00:00Z");
            cases.insert(new CaseRecord("case-1", 1, "OPEN", "sandbox", "898310058120001", "0820000001", true,
                    Optional.empty(), now, now, "{}"));
            store.appendRecord(chain(1).get(0));
            assertTrue(cases.load("case-1").isPresent());
            assertEquals(1, store.readRange(1, 1).size());
        }
    }

    @Test
    void aRecordEditedInTheDatabaseIsCaught() throws Exception {
        AuditSigningKey key = AuditSigningKey.generate("k1");
        AuditTrail trail = AuditTrail.builder().store(store).keys(new SingleKeyProvider(key))
                .checkpointEveryRecords(10).build();
        for (int i = 0; i < 30; i++) {
            trail.append(AuditFixtures.entry("case-alpha", i));
        }
        // An administrator with SQL access changes who did something.
        try (Connection connection = DriverManager.getConnection(url()); Statement statement = connection.createStatement()) {
            assertEquals(1, statement.executeUpdate(
                    "UPDATE posunbind_audit_record SET actor_id = 'operator:someone.else' WHERE sequence = 17"));
        }
        VerificationReport report = AuditVerifier.trusting(List.of(key.publicKey())).verifyStore(store);
        assertFalse(report.intact());
        assertEquals(List.of(VerificationProblem.at(ProblemKind.EDITED, 17, report.problems().get(0).detail())),
                report.problems());
    }

    @Test
    void aValueChangedToSomethingUnreadableIsReportedAsCorrupt() throws Exception {
        store.appendRecord(chain(1).get(0));
        try (Connection connection = DriverManager.getConnection(url()); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE posunbind_audit_record SET outcome = 'MAYBE'");
        }
        PosUnbindException failure = assertThrows(PosUnbindException.class, () -> store.readRange(1, 1));
        assertEquals(CoreErrorCode.STORE_CORRUPT, failure.errorCode());
    }

    @Test
    void aUrlWithoutDriverIsUnavailable() {
        PosUnbindException failure = assertThrows(PosUnbindException.class,
                () -> JdbcAuditStore.open("jdbc:nosuchdb://host/db?password=secret"));
        assertEquals(CoreErrorCode.AUDIT_STORE_UNAVAILABLE, failure.errorCode());
        assertFalse(failure.getMessage().contains("secret"), failure.getMessage());
    }

    @Test
    void aClosedStoreRefusesWork() {
        ((JdbcAuditStore) store).close();
        assertThrows(IllegalStateException.class, () -> store.latestRecord());
    }
}
