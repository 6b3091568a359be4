package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.POLL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An operator who registered no listener of their own reads the SDK's INFO lines: each turn of a case is
 * told once (a wait when it begins, not on every poll), and no line carries a sensitive number.
 */
class OperatorLogScenarioTest {

    @Test
    void aCaseIsToldFromOpeningToCompletionAndAPollOfAWaitingCaseAddsNoLine() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.faults().failNextTransiently(OperationKind.UNBIND_TERMINAL, 1);
        try (CapturedLog log = new CapturedLog()) {
            CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
            String id = opened.id().value();
            merchant.agreeToFees(opened);
            assertEquals(List.of(
                    "Case " + id + " opened at provider sandbox with 16 step(s) planned", // before the inventory
                    "Case " + id + " waits at AGREE_FEES for FEE_CONSENT",
                    "Case " + id + " waits at OBTAIN_INSTITUTION_APPROVAL for INSTITUTION_DECISION"),
                    messages(log, id));

            // Three polls of the institution: the wait goes on, and nothing more is logged.
            log.clear();
            CaseSnapshot polled = merchant.letTimePass(opened.id(), POLL, 3);
            assertTrue(polled.isWaitingFor(WaitReason.INSTITUTION_DECISION));
            assertEquals(List.of(), messages(log, id));

            merchant.sandbox.reviews().approve(merchant.applicationReference());
            CaseSnapshot retrying = merchant.afterWaiting(opened.id(), POLL);
            assertTrue(retrying.isWaitingFor(WaitReason.RETRY), retrying.toString());
            CaseSnapshot pending = merchant.afterWaiting(opened.id(), Duration.ofMinutes(1));
            assertTrue(pending.isWaitingFor(WaitReason.PROVIDER_OPERATION), pending.toString());
            // Polls of the pending account change, at the acquirer's suggested interval: no line.
            CaseSnapshot stillPending = merchant.letTimePass(opened.id(), Duration.ofMinutes(5), 3);
            assertTrue(stillPending.isWaitingFor(WaitReason.PROVIDER_OPERATION), stillPending.toString());
            merchant.sandbox.reviews().completePending(pending.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0)
                    .providerReference().orElseThrow());
            CaseSnapshot done = merchant.afterWaiting(opened.id(), Duration.ofMinutes(5));
            assertEquals(CaseState.COMPLETED, done.state(), done.toString());

            List<String> lines = messages(log, id);
            assertEquals(3, lines.size(), lines.toString());
            // The standard code of a retryable failure, as for a refusal; the provider's own code is in the message.
            assertTrue(lines.get(0).matches("Case " + id + " will retry UNBIND_TERMINAL at \\S+ after PRV-UNAVAILABLE"),
                    lines.toString());
            assertEquals("Case " + id + " waits at UNBIND_SETTLEMENT_ACCOUNT for PROVIDER_OPERATION", lines.get(1));
            assertEquals("Case " + id + " completed", lines.get(2));
            assertNoSecrets(log.text());
        }
    }

    @Test
    void aDeadLetteredCaseAndARejectedOneAreToldWithTheirCodes() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.faults().failNextTransiently(OperationKind.UPDATE_TERMINAL_SOFTWARE, 100);
        try (CapturedLog log = new CapturedLog()) {
            CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
            merchant.agreeToFees(opened);
            CaseSnapshot failed = merchant.letTimePass(opened.id(), Duration.ofMinutes(2), 20);
            assertEquals(CaseState.FAILED, failed.state());

            List<String> lines = messages(log, opened.id().value());
            assertEquals(4, lines.stream().filter(line -> line.contains(" will retry UPDATE_REPLACEMENT_SOFTWARE ")
                    && line.endsWith(" after PRV-UNAVAILABLE")).count(), lines.toString());
            assertEquals("Case " + opened.id().value() + " dead-lettered: FAILED at UPDATE_REPLACEMENT_SOFTWARE with"
                    + " UNB-RETRIES-EXHAUSTED; an operator may retry it once the cause is fixed",
                    lines.get(lines.size() - 1));
            assertNoSecrets(log.text());
        }

        MerchantCase rejectedMerchant = new MerchantCase();
        try (CapturedLog log = new CapturedLog()) {
            CaseSnapshot opened = rejectedMerchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
            rejectedMerchant.agreeToFees(opened);
            rejectedMerchant.sandbox.reviews().reject(rejectedMerchant.applicationReference(), "R-031", "商户信息与营业执照不符");
            rejectedMerchant.afterWaiting(opened.id(), POLL);
            List<String> lines = messages(log, opened.id().value());
            assertEquals("Case " + opened.id().value() + " failed: REJECTED at OBTAIN_INSTITUTION_APPROVAL with"
                    + " UNB-INSTITUTION-REJECTED", lines.get(lines.size() - 1));
        }
    }

    @Test
    void aCaseLeftByACrashedInstanceIsToldAsTakenOver() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        // An instance that crashed while it held the case: its lease has run out.
        CaseRecord record = merchant.store.load(opened.id().value()).orElseThrow();
        merchant.store.update(new CaseRecord(record.caseId(), record.version() + 1, record.state(),
                record.providerId(), record.merchantNumber(), record.terminalSerial(), record.open(), record.wakeAt(),
                record.createdAt(), record.updatedAt(), record.document(), Optional.of("crashed-instance"),
                Optional.of(merchant.clock.instant().minusSeconds(1)), record.eventsPending()), record.version());

        try (CapturedLog log = new CapturedLog()) {
            merchant.agreeToFees(opened);
            assertEquals("Case " + opened.id().value() + " taken over by " + merchant.unbinder.instanceId()
                    + " from crashed-instance, whose lease expired", messages(log, opened.id().value()).get(0));
        }
    }

    /** The messages of the INFO lines about one case, without time, thread and logger. */
    @Test
    void aRetryAfterAFailedLookupIsToldWithTheLookupsOwnCode() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        boolean[] timedOut = {false};
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("DeviceUnbindAdapter.disableTerminal") && !timedOut[0]) {
                        timedOut[0] = true;
                        return OperationOutcome.unknown("gateway timed out");
                    }
                    if (name.equals("DeviceUnbindAdapter.lookup")) {
                        throw new IllegalStateException("lookup service unreachable");
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        merchant.unbinder = unbinder;
        try (CapturedLog log = new CapturedLog()) {
            CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
            String id = opened.id().value();
            assertTrue(merchant.agreeToFees(opened).isWaitingFor(WaitReason.RETRY));
            log.clear();

            CaseSnapshot retrying = merchant.afterWaiting(opened.id(), Duration.ofMinutes(1));

            assertTrue(retrying.isWaitingFor(WaitReason.RETRY), retrying.toString());
            assertEquals(Optional.of(StandardErrorCode.PROVIDER_UNAVAILABLE.code()),
                    retrying.steps(StepKind.DISABLE_TERMINAL).get(0).lastCode(), retrying.toString());
            List<String> lines = messages(log, id);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("Case " + id + " will retry DISABLE_TERMINAL at \\S+ after "
                    + StandardErrorCode.PROVIDER_UNAVAILABLE.code()), lines.toString());
        }
    }

    private static List<String> messages(CapturedLog log, String caseId) {
        return log.lines("INFO").stream().filter(line -> line.contains(" INFO io.posunbind.cases - Case " + caseId))
                .map(line -> line.substring(line.indexOf(" - ") + 3).strip()).toList();
    }

    private static void assertNoSecrets(String text) {
        List<String> secrets = List.of(SandboxDemoData.settlementAccount().number().reveal(),
                MerchantCase.NEW_ACCOUNT.number().reveal(), MERCHANT_NUMBER, TERMINAL_SERIAL);
        for (String line : text.split("\n")) {
            if (line.contains(" INFO io.posunbind.cases - ")) {
                for (String secret : secrets) {
                    assertFalse(line.contains(secret), line);
                }
            }
        }
    }
}
