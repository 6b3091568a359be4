package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseState;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.batch.BatchCancellation;
import io.posunbind.batch.BatchEvent;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchProgress;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.model.Document;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet unbinds on the databases (issue 12, point 4): a batch is stored in {@code posunbind_batch} and
 * {@code posunbind_batch_row} (schema V9), survives a restart of the application and its store, keeps the rows'
 * card numbers encrypted while they wait, and is shared by instances on one PostgreSQL, each row becoming one
 * case however many instances start rows.
 */
class FleetUnbindOnDatabasesScenarioTest {

    /** Bounds a hang; not a timing assertion. */
    private static final long GENEROUS_SECONDS = 120;

    @TempDir
    Path directory;

    @Test
    void aBatchOnTheEmbeddedH2StoreSurvivesARestartAndKeepsItsRowsCardNumbersEncrypted() throws Exception {
        MerchantCase merchant = new MerchantCase();
        Path data = directory.resolve("data");
        Path keys = directory.resolve("keys");
        BatchId batch = BatchId.of("h2-fleet");
        try (JdbcCaseStore store = JdbcCaseStore.h2File(data, keys)) {
            Unbinder first = merchant.unbinderOn(store);
            first.openBatch(batch, rows(merchant, 3), BatchOptions.builder().maxCasesInFlight(1).build(), OPERATOR);
            first.runDueWork();
            assertEquals(1, first.batches().progress(batch).waiting(WaitReason.FEE_CONSENT));
            first.close();
        }
        try (Connection side = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("posunbind"))) {
            List<String> requests = column(side, "SELECT request FROM posunbind_batch_row ORDER BY row_no");
            assertEquals(3, requests.size());
            for (String request : requests) {
                assertFalse(request.contains(SandboxDemoData.SETTLEMENT_CARD_NUMBER), request);
                assertTrue(request.contains("enc:"), "the card number is a field token: " + request);
            }
        }
        try (JdbcCaseStore reopened = JdbcCaseStore.h2File(data, keys)) {
            Unbinder restarted = merchant.unbinderOn(reopened);
            List<BatchEvent> events = Collections.synchronizedList(new ArrayList<>());
            restarted.batches().listen(events::add);
            BatchProgress seen = restarted.batches().progress(batch);
            assertEquals(BatchState.RUNNING, seen.state());
            assertEquals(1, seen.rows(BatchRowStatus.STARTED), seen.toString());
            assertEquals(2, seen.notStarted());

            restarted.declineFees(batch.caseIdOf(1), MerchantCase.MERCHANT);
            restarted.runDueWork();

            assertEquals(List.of(2), events.stream().filter(BatchEvent.RowStarted.class::isInstance)
                    .map(event -> ((BatchEvent.RowStarted) event).rowNumber()).toList());
            assertEquals(CaseState.WAITING, restarted.find(batch.caseIdOf(2)).orElseThrow().state(),
                    "the row's request was read back, decrypted, and opened as its case");
            assertEquals("ENDED,CANCELLED", restarted.batches().report(batch).rows().get(0).status() + ","
                    + restarted.batches().report(batch).rows().get(0).outcome());
            restarted.close();
        }
    }

    @Test
    void twoInstancesOnOnePostgresStartEachRowOnceAndShareTheBatch() throws Exception {
        MerchantCase merchant = new MerchantCase();
        DataKeyProvider keys = StaticDataKeyProvider.of(DataKey.generate("fleet", new SecureRandom()));
        BatchId batch = BatchId.of("pg-fleet");
        int rows = 12;
        List<BatchEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                JdbcCaseStore storeA = JdbcCaseStore.create(postgres.getPostgresDatabase());
                JdbcCaseStore storeB = JdbcCaseStore.create(postgres.getPostgresDatabase())) {
            Unbinder a = merchant.builderOn(storeA).instanceId("instance-a").dataKeys(keys).build();
            Unbinder b = merchant.builderOn(storeB).instanceId("instance-b").dataKeys(keys).build();
            a.batches().listen(events::add);
            b.batches().listen(events::add);
            a.openBatch(batch, rows(merchant, rows), BatchOptions.defaults(), OPERATOR);

            ExecutorService instances = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> runs = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    runs.add(instances.submit(() -> a.runDueWork()));
                    runs.add(instances.submit(() -> b.runDueWork()));
                }
                for (Future<Integer> run : runs) {
                    run.get(GENEROUS_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                instances.shutdownNow();
            }

            List<Integer> started = events.stream().filter(BatchEvent.RowStarted.class::isInstance)
                    .map(event -> ((BatchEvent.RowStarted) event).rowNumber()).sorted().toList();
            assertEquals(rows, started.size(), "each row told started once: " + started);
            assertEquals(rows, started.stream().distinct().count());
            BatchProgress fromB = b.batches().progress(batch);
            assertEquals(rows, fromB.waiting(WaitReason.FEE_CONSENT), fromB.toString());
            assertEquals(rows, a.findCases(CaseFilter.builder().limit(100).build()).size(),
                    "no row became two cases");

            BatchCancellation cancelled = b.batches().cancel(batch, OPERATOR, "收单机构变更计划");
            assertEquals(rows, cancelled.casesCancelled().size());
            BatchProgress end = a.batches().progress(batch);
            assertEquals(BatchState.CANCELLED, end.state());
            assertEquals(rows, end.cases(CaseState.CANCELLED), end.toString());
            a.close();
            b.close();
        }
    }

    /** Rows 1 to {@code count}, each a device unbind of a terminal added to the merchant's sandbox. */
    static List<BatchRow> rows(MerchantCase merchant, int count) {
        List<BatchRow> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String serial = FleetUnbindScenarioTest.serial(i);
            merchant.sandbox.addTerminal(serial, "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
            UnbindRequest request = MerchantCase.request().terminalSerial(serial).scope(BindingKind.DEVICE).documents(
                    new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE,
                            SandboxDemoData.MERCHANT_NAME),
                    new Document.TerminalInformation(serial, "PAX A920"),
                    new Document.SettlementAccountProof(SandboxDemoData.settlementAccount())).build();
            rows.add(BatchRow.of(i, request));
        }
        return rows;
    }

    private static List<String> column(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }
}
