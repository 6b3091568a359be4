package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static io.posunbind.testkit.scenarios.MerchantCase.POLL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.i18n.Messages;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * An operator cancels a case at every point of the merchant's process: before anything changed, while
 * the case waits for the merchant or the institution, while an operation is in flight at the provider,
 * and after the terminal was already disabled and unbound.
 */
class CancelScenarioTest {

    private static final String WHY = "the merchant keeps the old provider after all";

    @Test
    void cancellingBeforeTheDocumentsAreInCancelsWithNoStepLeftWaiting() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().build());
        assertTrue(opened.isWaitingFor(WaitReason.DOCUMENTS), opened.toString());

        CaseSnapshot cancelled = merchant.unbinder.cancel(opened.id(), OPERATOR, WHY);

        assertCancelledCleanly(merchant, cancelled);
    }

    @Test
    void cancellingWhileTheMerchantIsAskedToAgreeToFeesCancelsCleanly() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT), opened.toString());

        CaseSnapshot cancelled = merchant.unbinder.cancel(opened.id(), OPERATOR, WHY);

        assertCancelledCleanly(merchant, cancelled);
        assertEquals(StepStatus.CANCELLED, cancelled.steps(StepKind.AGREE_FEES).get(0).status());
    }

    @Test
    void cancellingWhileTheInstitutionDecidesCancelsCleanly() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot applied = merchant.agreeToFees(opened);
        assertTrue(applied.isWaitingFor(WaitReason.INSTITUTION_DECISION), applied.toString());

        CaseSnapshot cancelled = merchant.unbinder.cancel(opened.id(), OPERATOR, WHY);

        assertCancelledCleanly(merchant, cancelled);
        // Nothing more happens, however long the engine keeps running.
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        CaseSnapshot later = merchant.afterWaiting(opened.id(), Duration.ofDays(1));
        assertEquals(CaseState.CANCELLED, later.state());
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void cancellingWhileACallsOutcomeIsUnknownIsRefusedAndTheCaseGoesOn() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.faults().timeOutNext(OperationKind.DISABLE_TERMINAL);
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot unknown = merchant.agreeToFees(opened);
        assertTrue(unknown.isWaitingFor(WaitReason.RETRY), unknown.toString());

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.cancel(opened.id(), OPERATOR, WHY));

        assertEquals(CoreErrorCode.CANCEL_IN_FLIGHT, refused.errorCode());
        assertTrue(refused.getMessage().contains("DISABLE_TERMINAL is in flight"), refused.getMessage());
        CaseSnapshot after = merchant.unbinder.find(opened.id()).orElseThrow();
        assertTrue(after.isWaitingFor(WaitReason.RETRY), after.toString());
        assertTrue(after.history().stream().anyMatch(h -> h.event().equals("CANCEL_REFUSED")
                && h.actorId().equals(OPERATOR.id()) && h.detail().startsWith("UNB-CANCEL-IN-FLIGHT")));
        // The engine reconciles the call it could not see the end of, once, and carries on.
        CaseSnapshot done = merchant.letTimePass(opened.id(), POLL, 10);
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void cancellingAfterTheTerminalWasUnboundWithTheAccountChangePendingIsRefusedSayingWhatWasDone() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        CaseSnapshot pending = merchant.afterWaiting(opened.id(), POLL);
        assertTrue(pending.isWaitingFor(WaitReason.PROVIDER_OPERATION), pending.toString());
        assertEquals(TerminalStatus.UNBOUND, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.cancel(opened.id(), OPERATOR, WHY));

        assertEquals(CoreErrorCode.CANCEL_IN_FLIGHT, refused.errorCode());
        String message = refused.getMessage();
        assertTrue(message.contains("UNBIND_SETTLEMENT_ACCOUNT is in flight"), message);
        assertTrue(message.contains("DISABLE_TERMINAL") && message.contains("UNBIND_TERMINAL"), message);
        CaseSnapshot stillOpen = merchant.unbinder.find(opened.id()).orElseThrow();
        assertTrue(stillOpen.isWaitingFor(WaitReason.PROVIDER_OPERATION), stillOpen.toString());

        // The acquirer then refuses the account change: the case fails with the device already unbound.
        String reference = stillOpen.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).providerReference()
                .orElseThrow();
        merchant.sandbox.reviews().rejectPending(reference, io.posunbind.spi.StandardErrorCode.ACCOUNT_OWNERSHIP_MISMATCH,
                "E-17", "account holder does not match");
        CaseSnapshot failed = merchant.afterWaiting(opened.id(), Duration.ofMinutes(5));
        assertEquals(CaseState.FAILED, failed.state(), failed.toString());

        // Now nothing is in flight: the cancel is taken, and the case says what an operator must still do.
        CaseSnapshot partial = merchant.unbinder.cancel(opened.id(), OPERATOR, WHY);

        assertEquals(CaseState.CANCELLED_PARTIALLY, partial.state(), partial.toString());
        assertEquals(CoreErrorCode.CANCELLED_PARTIALLY.code(), partial.failureCode().orElseThrow());
        List<StepKind> changed = partial.changesMade().stream().map(StepSnapshot::kind).toList();
        assertTrue(changed.containsAll(List.of(StepKind.UNBIND_PERIPHERAL, StepKind.DISABLE_TERMINAL,
                StepKind.UNBIND_TERMINAL)), changed.toString());
        List<StepKind> notDone = partial.notCarriedOut().stream().map(StepSnapshot::kind).toList();
        assertTrue(notDone.containsAll(List.of(StepKind.UNBIND_MERCHANT_INFO, StepKind.DECOMMISSION_TERMINAL,
                StepKind.SET_UP_REPLACEMENT)), notDone.toString());
        assertTrue(partial.steps().stream().noneMatch(step -> step.status() == StepStatus.WAITING
                || step.status() == StepStatus.PLANNED), partial.toString());
        assertTrue(partial.failureMessage().orElseThrow().contains("Already changed at the provider"));

        String english = partial.describe(Locale.ENGLISH);
        assertTrue(english.contains("Cancelled after changes at the payment provider"), english);
        assertTrue(english.contains("Already changed at the payment provider: ") && english.contains("Disable the"
                + " terminal") && english.contains("Not carried out: "), english);
        String chinese = partial.describe(Locale.SIMPLIFIED_CHINESE);
        assertTrue(chinese.contains("已在支付服务商处变更：") && chinese.contains("未执行："), chinese);
        assertTrue(merchant.events.stream().anyMatch(event -> event instanceof UnbindEvent.CaseFinished finished
                && finished.state() == CaseState.CANCELLED_PARTIALLY));
    }

    @Test
    void cancellingWhileTheMerchantIsAskedForTheSmsCodeAfterTheDeviceWasUnboundCancelsPartially() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.verifications().requireVerification(MERCHANT_NUMBER,
                new VerificationDemand(VerificationDemand.Method.SMS_CODE, 3, Duration.ofMinutes(5)),
                OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot challenged = merchant.agreeToFees(opened);
        assertTrue(challenged.isWaitingFor(WaitReason.VERIFICATION), challenged.toString());

        CaseSnapshot partial = merchant.unbinder.cancel(opened.id(), OPERATOR, WHY);

        assertEquals(CaseState.CANCELLED_PARTIALLY, partial.state(), partial.toString());
        assertEquals(StepStatus.CANCELLED, partial.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).status());
        assertEquals(StepStatus.DONE, partial.steps(StepKind.UNBIND_TERMINAL).get(0).status());
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
        // The merchant's late answer changes nothing any more.
        String code = merchant.sandbox.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow();
        assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.answerVerification(opened.id(), MerchantCase.MERCHANT, code));
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
    }

    @Test
    void cancellingAfterTheProviderAnsweredBusyIsRefusedBecauseTheOperationMayHaveTakenEffect() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        boolean[] answeredBusy = {false};
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    Object answer = proceed.call();
                    if (name.equals("DeviceUnbindAdapter.disableTerminal") && !answeredBusy[0]) {
                        // The terminal was disabled, but the gateway answered "busy, try later".
                        answeredBusy[0] = true;
                        return OperationOutcome.rejected(StandardErrorCode.PROVIDER_UNAVAILABLE, "GW-BUSY",
                                "gateway busy, try later");
                    }
                    return answer;
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        CaseSnapshot busy = unbinder.consentToFees(opened.id(), new FeeConsent(quote.quoteId(), quote.total(),
                MerchantCase.MERCHANT, merchant.clock.instant()));
        assertTrue(busy.isWaitingFor(WaitReason.RETRY), busy.toString());
        assertEquals(TerminalStatus.DISABLED, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> unbinder.cancel(opened.id(), OPERATOR, WHY));

        assertEquals(CoreErrorCode.CANCEL_IN_FLIGHT, refused.errorCode());
        assertTrue(refused.getMessage().contains("DISABLE_TERMINAL is in flight"), refused.getMessage());
        merchant.clock.advance(POLL);
        unbinder.runDueWork();
        CaseSnapshot done = unbinder.find(opened.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void cancellingOnAnotherInstanceAfterACrashInsideTheUnbindIsRefusedBecauseTheUnbindMayHaveBeenDone() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        boolean[] died = {false};
        // The acquirer honours idempotency keys, so no checkpoint is stored before the call; the process dies
        // right after the terminal was unbound, before it could store anything.
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    Object answer = proceed.call();
                    if (name.equals("DeviceUnbindAdapter.unbindTerminal") && !died[0]) {
                        died[0] = true;
                        throw new ProcessDied();
                    }
                    return answer;
                });
        Unbinder crashing = merchant.builderOn(merchant.store, provider.provider).instanceId("crashing").build();
        CaseSnapshot opened = crashing.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        assertThrows(ProcessDied.class, () -> crashing.consentToFees(opened.id(), new FeeConsent(quote.quoteId(),
                quote.total(), MerchantCase.MERCHANT, merchant.clock.instant())));
        assertEquals(TerminalStatus.UNBOUND, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        merchant.clock.advance(Duration.ofHours(1)); // the dead instance's lease has expired

        Unbinder other = merchant.builderOn(merchant.store).instanceId("other").build();
        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> other.cancel(opened.id(), OPERATOR, WHY));

        assertEquals(CoreErrorCode.CANCEL_IN_FLIGHT, refused.errorCode());
        assertTrue(refused.getMessage().contains("UNBIND_TERMINAL is in flight"), refused.getMessage());
        // The case goes on: the unbind is sent again under its key, the acquirer recognises it, once.
        other.runDueWork();
        CaseSnapshot done = other.find(opened.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_TERMINAL));
    }

    @Test
    void cancellingAFailedCaseWhoseLastCallHasAnUnknownOutcomeSaysToRetryItFirstNotToWait() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        boolean[] gatewayDown = {true};
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (gatewayDown[0] && name.equals("DeviceUnbindAdapter.disableTerminal")) {
                        return OperationOutcome.unknown("gateway timed out");
                    }
                    if (gatewayDown[0] && name.equals("DeviceUnbindAdapter.lookup")) {
                        throw new IllegalStateException("lookup service down");
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(merchant.store, provider.provider).build();
        merchant.unbinder = unbinder;
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);
        CaseSnapshot failed = merchant.letTimePass(opened.id(), Duration.ofMinutes(5), 20);
        assertEquals(CaseState.FAILED, failed.state(), failed.toString());

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> unbinder.cancel(opened.id(), OPERATOR, WHY));

        assertEquals(CoreErrorCode.CANCEL_NEEDS_RECONCILE, refused.errorCode());
        assertFalse(refused.errorCode().retryable(), "waiting does not help: the failed case does not go on");
        assertTrue(refused.getMessage().contains("Retry the case so it reconciles"), refused.getMessage());
        assertFalse(refused.getMessage().contains("The case goes on"), refused.getMessage());
        assertTrue(Messages.forLocale(Locale.SIMPLIFIED_CHINESE).errorText(refused.errorCode()).contains("重试"));
        assertTrue(Messages.forLocale(Locale.ENGLISH).errorText(refused.errorCode()).contains("Retry the case"));
        // As told: the gateway is back, the operator retries, the call is reconciled, the case goes on.
        gatewayDown[0] = false;
        CaseSnapshot retried = unbinder.retry(opened.id(), OPERATOR, "gateway back");
        assertEquals(CaseState.COMPLETED, retried.state(), retried.toString());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    /** A process dying in the middle of a step, as kill -9 would: nothing after it runs. */
    private static final class ProcessDied extends Error {
        private static final long serialVersionUID = 1L;
    }

    private static void assertCancelledCleanly(MerchantCase merchant, CaseSnapshot cancelled) {
        CaseId id = cancelled.id();
        assertEquals(CaseState.CANCELLED, cancelled.state(), cancelled.toString());
        assertTrue(cancelled.steps().stream().allMatch(step -> step.status() == StepStatus.DONE
                || step.status() == StepStatus.CANCELLED), cancelled.toString());
        assertTrue(cancelled.changesMade().isEmpty());
        assertEquals(0, merchant.sandbox.requests().effects().stream()
                .filter(effect -> effect.kind() != OperationKind.SUBMIT_APPLICATION).count(),
                "nothing changed at the provider");
        assertTrue(cancelled.history().stream().anyMatch(h -> h.event().equals("CASE_CANCELLED")
                && h.detail().equals(WHY)));
        assertTrue(cancelled.describe(Locale.ENGLISH).contains("Not carried out (cancelled)"));
        assertTrue(cancelled.describe(Locale.SIMPLIFIED_CHINESE).contains("未执行（已取消）"));
        assertEquals(CaseState.CANCELLED, merchant.unbinder.find(id).orElseThrow().state());
    }
}
