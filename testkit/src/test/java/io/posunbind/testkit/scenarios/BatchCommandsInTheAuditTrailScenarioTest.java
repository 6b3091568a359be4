package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.audit.AffectedResource;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.AuditVerifier;
import io.posunbind.audit.EvidenceBundle;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import io.posunbind.audit.VerificationReport;
import io.posunbind.batch.BatchCancellation;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.batch.StartWindow;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who opened, paused, resumed and cancelled a fleet unbind, when, and with what effect, proven by the signed
 * audit trail: one record per batch command, under the batch ({@code batch:<id>}), the refused ones too, and
 * no row's terminal serial or merchant number in their details (the rows' cases carry those as every case does).
 */
class BatchCommandsInTheAuditTrailScenarioTest {

    private static final Actor SUPERVISOR = Actor.operator("operator:wang.fang");

    @TempDir
    Path keys;

    private final MerchantCase merchant = new MerchantCase();
    private InMemoryAuditStore auditStore;
    private AuditTrail trail;
    private Unbinder unbinder;

    @BeforeEach
    void unbinderWithATrail() {
        auditStore = new InMemoryAuditStore();
        trail = AuditTrail.builder().store(auditStore).keys(FileAuditKeyProvider.generate(keys, "audit-2026-11"))
                .clock(merchant.clock).build();
        unbinder = merchant.builderOn(new InMemoryCaseStore()).auditTrail(trail).build();
    }

    @AfterEach
    void close() {
        unbinder.close();
        merchant.unbinder.close();
    }

    @Test
    void anOperatorsOpenPauseResumeAndCancelAreEachASignedRecordWithWhoWhenWhatAndHowItWent() {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        BatchId batch = BatchId.of("closing-2026-11");
        Instant openedAt = merchant.clock.instant();
        // 02:00 UTC is 10:00 in Shanghai: inside the day window, so rows start at once.
        unbinder.openBatch(batch, rows(3), BatchOptions.builder()
                .startWindow(StartWindow.between(LocalTime.of(9, 0), LocalTime.of(17, 0)))
                .maxCasesInFlight(2).build(), OPERATOR);
        unbinder.runDueWork();
        merchant.clock.advance(Duration.ofMinutes(5));
        Instant pausedAt = merchant.clock.instant();
        unbinder.batches().pause(batch, OPERATOR);
        merchant.clock.advance(Duration.ofMinutes(5));
        Instant resumedAt = merchant.clock.instant();
        unbinder.batches().resume(batch, SUPERVISOR);
        // Row 1's case consents and its call to disable the terminal times out: the cancel cannot end it.
        merchant.sandbox.faults().timeOutNext(OperationKind.DISABLE_TERMINAL);
        CaseSnapshot inFlight = consent(unbinder.find(batch.caseIdOf(1)).orElseThrow());
        assertTrue(inFlight.isWaitingFor(WaitReason.RETRY), inFlight.toString());
        merchant.clock.advance(Duration.ofMinutes(5));
        Instant cancelledAt = merchant.clock.instant();
        BatchCancellation cancellation = unbinder.batches().cancel(batch, SUPERVISOR, "商户改变计划");
        assertEquals(1, cancellation.notCancelled().size(), cancellation.toString());
        trail.checkpointNow();

        VerificationReport verified = AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(keys))
                .verifyStore(auditStore);
        assertTrue(verified.intact(), verified.describe());
        List<AuditRecord> records = auditStore.readByCase("batch:closing-2026-11");
        assertEquals(List.of(AuditEventTypes.BATCH_OPEN, AuditEventTypes.BATCH_PAUSE, AuditEventTypes.BATCH_RESUME,
                AuditEventTypes.BATCH_CANCEL), records.stream().map(AuditRecord::eventType).toList());
        assertEquals(List.of(OPERATOR.id(), OPERATOR.id(), SUPERVISOR.id(), SUPERVISOR.id()),
                records.stream().map(AuditRecord::actorId).toList());
        assertEquals(List.of(openedAt, pausedAt, resumedAt, cancelledAt),
                records.stream().map(AuditRecord::time).toList(), "stamped by the injected clock");
        assertTrue(records.stream().allMatch(record -> record.outcome() == AuditOutcome.SUCCESS
                && record.origin().equals("api") && record.actorRole().equals("operator")));
        assertEquals("OPEN 3 rows, providers [sandbox], start window 09:00-17:00 merchant time, default time zone"
                + " Asia/Shanghai, at most 2 cases in flight", records.get(0).detail());
        assertEquals("PAUSE: RUNNING to PAUSED", records.get(1).detail());
        assertEquals("RESUME: PAUSED to RUNNING", records.get(2).detail());
        assertEquals("CANCEL: RUNNING to CANCELLED, 1 rows ended before their start, 1 cases cancelled, 1 not"
                + " cancelled (row 1 case closing-2026-11-1 UNB-CANCEL-IN-FLIGHT); reason: 商户改变计划",
                records.get(3).detail());
        for (AuditRecord record : records) {
            assertEquals(AffectedResource.ofBatch(batch.value()), record.resource());
            assertNoRowValues(record);
        }

        // The batch's commands are evidence of their own, verifiable offline like a case's.
        EvidenceBundle evidence = trail.exportEvidence("batch:" + batch.value());
        assertEquals(4, evidence.caseRecords().size());
        assertTrue(AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(keys))
                .verify(EvidenceBundle.fromJson(evidence.toJson())).intact());
    }

    @Test
    void refusedBatchCommandsAreRecordedAsFailuresWithTheirCodeButNoRowValues() {
        BatchId batch = BatchId.of("refusals");
        List<BatchRow> rows = rows(2);
        List<BatchRow> twiceTheSameTerminal = List.of(rows.get(0), BatchRow.of(2, deviceOnly(1)),
                BatchRow.of(3, MerchantCase.request().provider("acme").terminalSerial(serial(3))
                        .scope(BindingKind.DEVICE).build()));
        assertThrows(BatchValidationException.class,
                () -> unbinder.openBatch(batch, twiceTheSameTerminal, BatchOptions.defaults(), OPERATOR));
        unbinder.openBatch(batch, rows, BatchOptions.defaults(), OPERATOR);
        PosUnbindException exists = assertThrows(PosUnbindException.class,
                () -> unbinder.openBatch(batch, rows, BatchOptions.defaults(), SUPERVISOR));
        PosUnbindException notPaused = assertThrows(PosUnbindException.class,
                () -> unbinder.batches().resume(batch, SUPERVISOR));
        PosUnbindException unknown = assertThrows(PosUnbindException.class,
                () -> unbinder.batches().pause(BatchId.of("no-such-batch"), SUPERVISOR));
        assertEquals(List.of(CoreErrorCode.BATCH_EXISTS, CoreErrorCode.COMMAND_NOT_EXPECTED,
                CoreErrorCode.BATCH_NOT_FOUND), List.of(exists.errorCode(), notPaused.errorCode(), unknown.errorCode()));

        List<AuditRecord> records = auditStore.readByCase("batch:refusals");
        assertEquals(List.of("BATCH_OPEN FAILURE operator:li.na", "BATCH_OPEN SUCCESS operator:li.na",
                "BATCH_OPEN FAILURE operator:wang.fang", "BATCH_RESUME FAILURE operator:wang.fang"),
                records.stream().map(record -> record.eventType() + " " + record.outcome() + " " + record.actorId())
                        .toList());
        assertEquals("OPEN refused UNB-BATCH-INVALID: 3 rows, 2 problems (UNB-BATCH-DUPLICATE-TERMINAL x1,"
                + " UNB-BATCH-UNKNOWN-PROVIDER x1)", records.get(0).detail());
        assertEquals("OPEN refused UNB-BATCH-EXISTS", records.get(2).detail());
        assertEquals("RESUME refused UNB-COMMAND-NOT-EXPECTED: the batch is RUNNING", records.get(3).detail());
        records.forEach(BatchCommandsInTheAuditTrailScenarioTest::assertNoRowValues);
        List<AuditRecord> unknownBatch = auditStore.readByCase("batch:no-such-batch");
        assertEquals(1, unknownBatch.size());
        assertEquals("PAUSE refused UNB-BATCH-NOT-FOUND", unknownBatch.get(0).detail());
        assertEquals(AuditOutcome.FAILURE, unknownBatch.get(0).outcome());
        assertTrue(trail.verify().intact());
    }

    private static void assertNoRowValues(AuditRecord record) {
        String all = record.detail() + record.resource();
        assertFalse(all.contains(SandboxDemoData.MERCHANT_NUMBER), all);
        for (int i = 1; i <= 3; i++) {
            assertFalse(all.contains(serial(i)), all);
        }
    }

    private CaseSnapshot consent(CaseSnapshot waiting) {
        var quote = waiting.feeQuote().orElseThrow();
        return unbinder.consentToFees(waiting.id(), new FeeConsent(quote.quoteId(), quote.total(),
                MerchantCase.MERCHANT, merchant.clock.instant()));
    }

    private List<BatchRow> rows(int count) {
        List<BatchRow> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            merchant.sandbox.addTerminal(serial(i), "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
            rows.add(BatchRow.of(i, deviceOnly(i)));
        }
        return rows;
    }

    private static UnbindRequest deviceOnly(int i) {
        return MerchantCase.request().terminalSerial(serial(i)).scope(BindingKind.DEVICE).documents(
                new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE, SandboxDemoData.MERCHANT_NAME),
                new Document.TerminalInformation(serial(i), "PAX A920")).build();
    }

    private static String serial(int i) {
        return String.format("08500%05d", i);
    }
}
