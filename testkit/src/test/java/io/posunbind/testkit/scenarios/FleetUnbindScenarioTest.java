package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitReason;
import io.posunbind.WorkerOptions;
import io.posunbind.batch.BatchCancellation;
import io.posunbind.batch.BatchEvent;
import io.posunbind.batch.BatchFile;
import io.posunbind.batch.BatchFiles;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchListener;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchProgress;
import io.posunbind.batch.BatchReport;
import io.posunbind.batch.BatchReportRow;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchRowProblem;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.batch.BatchState;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.batch.StartWindow;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.store.BatchRowRecord;
import io.posunbind.store.BatchStore;
import io.posunbind.store.CaseFilter;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fleet unbinds (issue 12, point 4): a restaurant chain closes its stores, one row per terminal, validated at
 * once and run as the cases of one batch, with a cap on cases in flight, a night window, pause, resume, cancel
 * and a report per row. On the in-memory store; {@code FleetUnbindOnDatabasesScenarioTest} runs H2 and PostgreSQL.
 */
class FleetUnbindScenarioTest {

    /** Bounds a hang of the worker test; not a timing assertion. */
    private static final long GENEROUS_SECONDS = 60;

    private final MerchantCase merchant = new MerchantCase();
    private final List<BatchEvent> batchEvents = Collections.synchronizedList(new ArrayList<>());

    {
        merchant.unbinder.batches().listen(batchEvents::add);
    }

    @Test
    void aChainClosingItsStoresUnbindsEveryTerminalAsACaseOfOneBatchAndGetsALinePerRow() {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("closing-2026-11"), rows(3), BatchOptions.defaults(),
                OPERATOR);

        merchant.unbinder.runDueWork();
        BatchProgress started = merchant.unbinder.batches().progress(batch);
        assertEquals(3, started.rows(BatchRowStatus.STARTED), started.toString());
        assertEquals(3, started.waiting(WaitReason.FEE_CONSENT), started.toString());
        assertEquals(Optional.empty(), started.estimatedTimeLeft(), "no pace yet");

        merchant.clock.advance(Duration.ofMinutes(30));
        agreeToEveryQuote(batch);
        BatchProgress done = merchant.unbinder.batches().progress(batch);

        assertEquals(BatchState.FINISHED, done.state(), done.toString());
        assertEquals(3, done.cases(CaseState.COMPLETED), done.toString());
        assertEquals(3, done.rows(BatchRowStatus.ENDED));
        assertEquals(6.0, done.throughputPerHour(), 0.001, "3 rows in the 30 minutes since the first started");
        assertEquals(Optional.of(Duration.ZERO), done.estimatedTimeLeft());
        BatchReport report = merchant.unbinder.batches().report(batch);
        assertEquals(List.of(1, 2, 3), report.rows().stream().map(BatchReportRow::rowNumber).toList());
        assertEquals("1,0840000001,sandbox,closing-2026-11-1,ENDED,COMPLETED,,",
                report.toCsv().split("\r\n")[1]);
        assertEquals(3, events(BatchEvent.RowStarted.class).size());
        assertEquals(3, events(BatchEvent.RowEnded.class).size());
        assertEquals(List.of(BatchState.FINISHED), events(BatchEvent.StateChanged.class).stream()
                .map(BatchEvent.StateChanged::to).toList());
    }

    @Test
    void everyProblemOfEveryRowIsReportedAtOnceAndNothingStarts() {
        terminalsInACaseAndInAnEarlierBatch();
        String csv = FILE_WITH_EVERY_PROBLEM;
        BatchValidationException fileProblems = assertThrows(BatchValidationException.class,
                () -> BatchFiles.readCsv(csv, OPERATOR));
        assertEquals(List.of("2 UNB-BATCH-FIELD-MISSING terminal_serial", "3 UNB-BATCH-FIELD-INVALID reason",
                "7 UNB-BATCH-FIELD-INVALID time_zone"), described(fileProblems.problems()));

        List<BatchRow> wellFormed = BatchFiles.readCsv(csv.lines().filter(line -> !line.contains(",,CLOSURE")
                && !line.contains("CLOSED_FOR_GOOD") && !line.contains("Mars")).reduce("", (a, b) -> a + b + "\n"),
                OPERATOR);
        BatchValidationException refused = assertThrows(BatchValidationException.class,
                () -> merchant.unbinder.openBatch(BatchId.of("closing"), wellFormed, BatchOptions.defaults(),
                        OPERATOR));

        assertEquals(CoreErrorCode.BATCH_INVALID, refused.errorCode());
        assertEquals(List.of("2 UNB-BATCH-UNKNOWN-PROVIDER provider", "3 UNB-BATCH-DUPLICATE-TERMINAL terminal_serial",
                "4 UNB-TERMINAL-IN-CASE terminal_serial", "5 UNB-BATCH-TERMINAL-IN-BATCH terminal_serial"),
                described(refused.problems()));
        assertTrue(refused.getMessage().contains("row 3 terminal_serial: UNB-BATCH-DUPLICATE-TERMINAL"),
                refused.getMessage());
        PosUnbindException unknown = assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.batches().progress(BatchId.of("closing")));
        assertEquals(CoreErrorCode.BATCH_NOT_FOUND, unknown.errorCode(), "nothing was stored");
    }

    @Test
    void aListenerThatStoppedListeningHearsNothingMore() {
        List<BatchEvent> heard = Collections.synchronizedList(new ArrayList<>());
        BatchListener listener = heard::add;
        merchant.unbinder.batches().listen(listener);
        merchant.unbinder.openBatch(BatchId.of("first"), rows(1), BatchOptions.defaults(), OPERATOR);
        merchant.unbinder.runDueWork();
        int before = heard.size();
        assertTrue(before > 0, "it heard the first batch's row start");

        assertTrue(merchant.unbinder.batches().stopListening(listener));
        assertEquals(false, merchant.unbinder.batches().stopListening(listener), "once");
        merchant.sandbox.addTerminal(serial(2), "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        merchant.unbinder.openBatch(BatchId.of("second"), List.of(BatchRow.of(1, MerchantCase.request()
                .terminalSerial(serial(2)).scope(BindingKind.DEVICE).build())), BatchOptions.defaults(), OPERATOR);
        merchant.unbinder.runDueWork();

        assertEquals(before, heard.size(), "nothing of the second batch");
        assertTrue(batchEvents.stream().anyMatch(event -> event.batchId().equals(BatchId.of("second"))),
                "the other listener still hears");
    }

    @Test
    void aFileOpenedAsReadIsRefusedWithTheFilesProblemsAndItsRowsProblemsInOneRound() {
        terminalsInACaseAndInAnEarlierBatch();
        BatchFile file = BatchFiles.parseCsv(FILE_WITH_EVERY_PROBLEM, OPERATOR);
        assertEquals(5, file.rows().size(), "the rows read well");

        BatchValidationException refused = assertThrows(BatchValidationException.class,
                () -> merchant.unbinder.openBatch(BatchId.of("closing"), file, BatchOptions.defaults(), OPERATOR));

        assertEquals(List.of("2 UNB-BATCH-FIELD-MISSING terminal_serial", "3 UNB-BATCH-FIELD-INVALID reason",
                "4 UNB-BATCH-UNKNOWN-PROVIDER provider", "5 UNB-BATCH-DUPLICATE-TERMINAL terminal_serial",
                "6 UNB-TERMINAL-IN-CASE terminal_serial", "7 UNB-BATCH-FIELD-INVALID time_zone",
                "8 UNB-BATCH-TERMINAL-IN-BATCH terminal_serial"), described(refused.problems()));
        assertEquals(CoreErrorCode.BATCH_NOT_FOUND, assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.batches().progress(BatchId.of("closing"))).errorCode(), "nothing was stored");

        BatchFile corrected = BatchFiles.parseCsv("""
                provider,merchant_number,terminal_serial,reason,bindings
                sandbox,898310058120001,0840000001,CLOSURE,DEVICE
                sandbox,898310058120001,0840000002,CLOSURE,DEVICE
                """, OPERATOR);
        assertTrue(corrected.readWell());
        merchant.unbinder.openBatch(BatchId.of("closing"), corrected, BatchOptions.defaults(), OPERATOR);
        assertEquals(2, merchant.unbinder.batches().progress(BatchId.of("closing")).rows());
    }

    @Test
    void noMoreOfTheBatchsCasesAreOpenAtOnceThanItsCap() {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("capped"), rows(5),
                BatchOptions.builder().maxCasesInFlight(2).build(), OPERATOR);

        merchant.unbinder.runDueWork();
        merchant.unbinder.runDueWork();
        BatchProgress two = merchant.unbinder.batches().progress(batch);
        assertEquals(2, two.rows(BatchRowStatus.STARTED), two.toString());
        assertEquals(3, two.notStarted());

        declineEveryQuote(batch); // the two open cases end CANCELLED
        merchant.unbinder.runDueWork();
        BatchProgress next = merchant.unbinder.batches().progress(batch);

        assertEquals(2, next.cases(CaseState.CANCELLED), next.toString());
        assertEquals(2, next.rows(BatchRowStatus.STARTED), next.toString());
        assertEquals(1, next.notStarted());
        assertEquals(List.of(1, 2, 3, 4), events(BatchEvent.RowStarted.class).stream()
                .map(BatchEvent.RowStarted::rowNumber).toList(), "lowest row number first");
    }

    @Test
    void rowsStartOnlyInsideTheNightWindowOfTheirMerchantsTimeZoneWrappingMidnight() {
        addTerminals(3);
        List<BatchRow> rows = List.of(
                new BatchRow(1, deviceOnly(1), Optional.empty()),                  // the default: Asia/Shanghai
                new BatchRow(2, deviceOnly(2), Optional.of(ZoneId.of("Europe/London"))),
                new BatchRow(3, deviceOnly(3), Optional.empty()));
        // 02:00 UTC is 10:00 in Shanghai (shops open) and 02:00 in London (closed).
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("night"), rows, BatchOptions.builder()
                .startWindow(StartWindow.between(LocalTime.of(23, 0), LocalTime.of(5, 0))).build(), OPERATOR);

        merchant.unbinder.runDueWork();
        assertEquals(List.of(2), startedRows(), "only London is inside its night");

        merchant.clock.advance(Duration.ofHours(13)); // 15:00 UTC: 23:00 in Shanghai, the window opens
        merchant.unbinder.runDueWork();
        assertEquals(List.of(2, 1, 3), startedRows());
        assertEquals(0, merchant.unbinder.batches().progress(batch).notStarted());
    }

    @Test
    void aPausedBatchStartsNoRowWhileItsStartedCaseGoesOnUntilResumed() {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("paused"), rows(3),
                BatchOptions.builder().maxCasesInFlight(1).build(), OPERATOR);
        merchant.unbinder.runDueWork();
        assertEquals(List.of(1), startedRows());

        merchant.unbinder.batches().pause(batch, OPERATOR);
        declineEveryQuote(batch); // the started case goes on to its end while the batch is paused
        merchant.clock.advance(Duration.ofHours(1));
        merchant.unbinder.runDueWork();

        BatchProgress paused = merchant.unbinder.batches().progress(batch);
        assertEquals(BatchState.PAUSED, paused.state());
        assertEquals(1, paused.cases(CaseState.CANCELLED), paused.toString());
        assertEquals(2, paused.notStarted(), "no row started while paused");
        assertEquals(List.of(1), startedRows());
        PosUnbindException twice = assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.batches().pause(batch, OPERATOR));
        assertEquals(CoreErrorCode.COMMAND_NOT_EXPECTED, twice.errorCode());

        merchant.unbinder.batches().resume(batch, OPERATOR);
        merchant.unbinder.runDueWork();
        assertEquals(List.of(1, 2), startedRows());
    }

    @Test
    void cancellingEndsRowsNotStartedWithoutACaseAndCancelsStartedCasesByTheirStepRules() {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("cancelled"), rows(5),
                BatchOptions.builder().maxCasesInFlight(2).build(), OPERATOR);
        merchant.unbinder.runDueWork();
        // Row 1's case consents, and its call to disable the terminal times out: an operation in flight.
        merchant.sandbox.faults().timeOutNext(OperationKind.DISABLE_TERMINAL);
        CaseSnapshot inFlight = merchant.agreeToFees(merchant.unbinder.find(caseOf(batch, 1)).orElseThrow());
        assertTrue(inFlight.isWaitingFor(WaitReason.RETRY), inFlight.toString());

        BatchCancellation cancellation = merchant.unbinder.batches().cancel(batch, OPERATOR, "商户改变计划");

        assertEquals(3, cancellation.rowsCancelledBeforeStart());
        assertEquals(List.of(caseOf(batch, 2)), cancellation.casesCancelled());
        assertEquals(1, cancellation.notCancelled().size());
        BatchCancellation.Refusal refusal = cancellation.notCancelled().get(0);
        assertEquals(1, refusal.rowNumber());
        assertEquals(CoreErrorCode.CANCEL_IN_FLIGHT.code(), refusal.errorCode());
        assertEquals(CaseState.CANCELLED, merchant.unbinder.find(caseOf(batch, 2)).orElseThrow().state());
        assertTrue(merchant.unbinder.find(caseOf(batch, 3)).isEmpty(), "a row not started never becomes a case");

        // The refused case reconciles its call and goes on to its end; the batch then finishes, cancelled.
        merchant.letTimePass(caseOf(batch, 1), MerchantCase.POLL, 10);
        merchant.unbinder.runDueWork();
        BatchProgress after = merchant.unbinder.batches().progress(batch);
        assertEquals(BatchState.CANCELLED, after.state(), after.toString());
        assertEquals(3, after.rows(BatchRowStatus.CANCELLED_BEFORE_START));
        assertEquals(1, after.cases(CaseState.COMPLETED), after.toString());
        assertEquals(1, after.cases(CaseState.CANCELLED), after.toString());
        assertEquals(List.of(1, 2), startedRows(), "no row started after the cancel");
        assertEquals("3,0840000003,sandbox,,CANCELLED_BEFORE_START,CANCELLED_BEFORE_START,,",
                merchant.unbinder.batches().report(batch).toCsv().split("\r\n")[3]);
    }

    @Test
    void aRowWhoseTerminalGotAnOpenCaseWhileItWaitedForItsWindowIsRefusedAtItsStartWithTheCode() {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("overtaken"), rows(2), BatchOptions.builder()
                .startWindow(StartWindow.between(LocalTime.of(23, 0), LocalTime.of(5, 0))).build(), OPERATOR);
        merchant.unbinder.open(deviceOnly(2)); // someone opens a case for row 2's terminal by hand, by day

        merchant.clock.advance(Duration.ofHours(13)); // 23:00 in Shanghai
        merchant.unbinder.runDueWork();

        BatchProgress progress = merchant.unbinder.batches().progress(batch);
        assertEquals(1, progress.rows(BatchRowStatus.STARTED), progress.toString());
        assertEquals(1, progress.rows(BatchRowStatus.REFUSED_AT_START), progress.toString());
        BatchReportRow refused = merchant.unbinder.batches().report(batch).rows().get(1);
        assertEquals(Optional.of(CoreErrorCode.TERMINAL_ALREADY_IN_CASE.code()), refused.errorCode());
        assertEquals(Optional.empty(), refused.caseId());
        assertTrue(merchant.unbinder.find(caseOf(batch, 2)).isEmpty());
        assertEquals(List.of(Optional.of(CoreErrorCode.TERMINAL_ALREADY_IN_CASE.code())),
                events(BatchEvent.RowNotStarted.class).stream().map(BatchEvent.RowNotStarted::errorCode).toList());
    }

    @Test
    void aRowMarkedStartedByAnInstanceThatDiedBeforeOpeningItsCaseBecomesItsCaseOnce() {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("crashed"), rows(1), BatchOptions.defaults(),
                OPERATOR);
        // An instance won the row and died before it stored the case.
        BatchStore rows = merchant.store.batches().orElseThrow();
        BatchRowRecord pending = rows.rowsIn(batch.value(), BatchRowStatus.PENDING, 10).get(0);
        assertTrue(rows.updateRow(pending.moved(BatchRowStatus.STARTED, Optional.empty(), Optional.empty(),
                Optional.empty(), merchant.clock.instant()), BatchRowStatus.PENDING));

        // A moment later the row is still taken for being opened by a live instance: nobody opens it twice.
        merchant.unbinder.runDueWork();
        assertTrue(merchant.unbinder.find(caseOf(batch, 1)).isEmpty(), "not opened while its instance may live");
        assertEquals(List.of(), startedRows());

        merchant.clock.advance(Duration.ofMinutes(2)); // no case after a minute: its instance died
        merchant.unbinder.runDueWork();
        merchant.unbinder.runDueWork();

        assertTrue(merchant.unbinder.find(caseOf(batch, 1)).orElseThrow().isWaitingFor(WaitReason.FEE_CONSENT));
        assertEquals(List.of(1), startedRows());
        assertEquals(1, merchant.unbinder.findCases(CaseFilter.builder().build()).size());
    }

    @Test
    void aNewUnbinderOnTheSameStoreSeesTheBatchAndCarriesItOn() {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("restarted"), rows(3),
                BatchOptions.builder().maxCasesInFlight(1).build(), OPERATOR);
        merchant.unbinder.runDueWork();
        declineEveryQuote(batch);
        merchant.unbinder.close();
        batchEvents.clear();

        Unbinder restarted = merchant.newUnbinder();
        merchant.unbinder = restarted;
        restarted.batches().listen(batchEvents::add);
        BatchProgress seen = restarted.batches().progress(batch);
        assertEquals(1, seen.cases(CaseState.CANCELLED), seen.toString());
        assertEquals(2, seen.notStarted());
        restarted.runDueWork();

        assertEquals(List.of(2), startedRows(), "the restarted unbinder starts the next row");
        assertEquals(1, restarted.batches().progress(batch).rows(BatchRowStatus.STARTED));
    }

    @Test
    void aStartedWorkerStartsTheRowsAndRunsTheirCases() throws Exception {
        CountDownLatch atTheirWait = new CountDownLatch(3);
        Unbinder unbinder = merchant.builderOn(merchant.store).listener(event -> {
            if (event instanceof UnbindEvent.CaseWaiting) {
                atTheirWait.countDown();
            }
        }).build();
        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(2).build()).start()) {
            BatchId batch = unbinder.openBatch(BatchId.of("worked"), rows(3), BatchOptions.defaults(), OPERATOR);
            assertTrue(atTheirWait.await(GENEROUS_SECONDS, TimeUnit.SECONDS));
            assertEquals(3, unbinder.batches().progress(batch).waiting(WaitReason.FEE_CONSENT));
        } finally {
            unbinder.close();
        }
    }

    @Test
    void aWorkersLooksFollowTheBatchAtMostOnceASecondSoEndingCasesDoNotEachReadTheWholeBatch() throws Exception {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("paced"), rows(2),
                BatchOptions.builder().maxCasesInFlight(1).build(), OPERATOR);
        try (UnbindWorker worker = merchant.unbinder.newWorker(WorkerOptions.builder().threads(1).build())) {
            worker.runDueWorkOnce(); // the batch was just opened: this look starts row 1
            assertEquals(List.of(1), startedRows());
            declineEveryQuote(batch);

            worker.runDueWorkOnce(); // the same second: the batch is not looked at again
            assertEquals(List.of(1), startedRows());
            merchant.clock.advance(Duration.ofSeconds(1));
            worker.runDueWorkOnce();

            assertEquals(List.of(1, 2), startedRows());
        }
    }

    @Test
    void theReportCarriesNoCardAccountOrIdentityNumber() {
        BatchId batch = merchant.unbinder.openBatch(BatchId.of("private"), List.of(BatchRow.of(1,
                MerchantCase.fullReplacement().documents(MerchantCase.allDocuments()).build())),
                BatchOptions.defaults(), OPERATOR);
        merchant.unbinder.runDueWork();
        BatchReport report = merchant.unbinder.batches().report(batch);

        for (String text : List.of(report.toCsv(), report.toJson(), report.toString())) {
            assertFalse(text.contains(SandboxDemoData.SETTLEMENT_CARD_NUMBER), text);
            assertFalse(text.contains("31050161373700000512"), text);
            assertFalse(text.contains(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE), text);
        }
        assertTrue(report.toJson().startsWith("{\"batchId\":\"private\",\"state\":\"RUNNING\",\"rows\":[{\"row\":1,"),
                report.toJson());
    }

    // --- the fleet ---

    /**
     * A file with a problem of every kind once the terminals are set up: a field missing (row 2), a reason and a
     * time zone that are no such thing (rows 3 and 7), an unknown provider (4), a terminal twice (5), a terminal
     * in an open case (6) and one waiting in an earlier batch (8).
     */
    private static final String FILE_WITH_EVERY_PROBLEM = """
            provider,merchant_number,terminal_serial,reason,bindings,time_zone
            sandbox,898310058120001,0840000001,CLOSURE,DEVICE,Asia/Shanghai
            sandbox,898310058120001,,CLOSURE,DEVICE,
            sandbox,898310058120001,0840000002,CLOSED_FOR_GOOD,DEVICE,
            acme,898310058120001,0840000002,CLOSURE,DEVICE,
            sandbox,898310058120001,0840000001,CLOSURE,DEVICE,
            sandbox,898310058120001,0840000003,CLOSURE,DEVICE,
            sandbox,898310058120001,0840000004,CLOSURE,DEVICE,Mars/Olympus
            sandbox,898310058120001,0840000004,CLOSURE,DEVICE,
            """;

    /** Terminals 1-4; terminal 3 in an open case, terminal 4 waiting to start in an earlier batch. */
    private void terminalsInACaseAndInAnEarlierBatch() {
        addTerminals(4);
        merchant.unbinder.open(MerchantCase.request().terminalSerial(serial(3)).scope(BindingKind.DEVICE).build());
        merchant.unbinder.openBatch(BatchId.of("earlier"), List.of(BatchRow.of(1, MerchantCase.request()
                .terminalSerial(serial(4)).scope(BindingKind.DEVICE).build())), BatchOptions.builder()
                .startWindow(StartWindow.between(LocalTime.of(23, 0), LocalTime.of(5, 0))).build(), OPERATOR);
    }


    private List<BatchRow> rows(int count) {
        addTerminals(count);
        List<BatchRow> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(BatchRow.of(i, deviceOnly(i)));
        }
        return rows;
    }

    private void addTerminals(int count) {
        for (int i = 1; i <= count; i++) {
            merchant.sandbox.addTerminal(serial(i), "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
        }
    }

    private static UnbindRequest deviceOnly(int i) {
        return MerchantCase.request().terminalSerial(serial(i)).scope(BindingKind.DEVICE).documents(
                new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE, SandboxDemoData.MERCHANT_NAME),
                new Document.TerminalInformation(serial(i), "PAX A920")).build();
    }

    static String serial(int i) {
        return String.format("08400%05d", i);
    }

    private static CaseId caseOf(BatchId batch, int row) {
        return batch.caseIdOf(row);
    }

    private void agreeToEveryQuote(BatchId batch) {
        for (CaseSnapshot waiting : waitingForFees(batch)) {
            merchant.agreeToFees(waiting);
        }
    }

    private void declineEveryQuote(BatchId batch) {
        for (CaseSnapshot waiting : waitingForFees(batch)) {
            merchant.unbinder.declineFees(waiting.id(), MerchantCase.MERCHANT);
        }
    }

    private List<CaseSnapshot> waitingForFees(BatchId batch) {
        return merchant.unbinder.batches().report(batch).rows().stream()
                .filter(row -> row.status() == BatchRowStatus.STARTED)
                .map(row -> merchant.unbinder.find(row.caseId().orElseThrow()).orElseThrow())
                .filter(snapshot -> snapshot.isWaitingFor(WaitReason.FEE_CONSENT)).toList();
    }

    private List<Integer> startedRows() {
        return events(BatchEvent.RowStarted.class).stream().map(BatchEvent.RowStarted::rowNumber).toList();
    }

    private <T extends BatchEvent> List<T> events(Class<T> type) {
        synchronized (batchEvents) {
            return batchEvents.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private static List<String> described(List<BatchRowProblem> problems) {
        return problems.stream().map(problem -> problem.rowNumber() + " " + problem.code() + " " + problem.field())
                .toList();
    }
}
