package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseFilter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Operators find stuck and dead-lettered cases and put them back to work; timers fire once, durably. */
class OperatorAndTimersScenarioTest {

    @Test
    void aDeadLetteredCaseIsFoundAndRetriedByAnOperator() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.sandbox.faults().failNextTransiently(OperationKind.UPDATE_TERMINAL_SOFTWARE, 100);
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);
        CaseSnapshot failed = merchant.letTimePass(opened.id(), Duration.ofMinutes(2), 20);
        assertEquals(CaseState.FAILED, failed.state());

        var deadLetters = merchant.unbinder.findCases(CaseFilter.inState("FAILED", 10));
        assertEquals(1, deadLetters.size());
        assertEquals(opened.id(), deadLetters.get(0).id());

        merchant.sandbox.faults().clearFaults();
        CaseSnapshot retried = merchant.unbinder.retry(opened.id(), Actor.operator("operator:wang.fang"),
                "the acquirer's software server is back");

        assertEquals(CaseState.COMPLETED, retried.state(), retried.toString());
        assertTrue(retried.history().stream().anyMatch(h -> h.event().equals("OPERATOR_RETRY")
                && h.actorId().equals("operator:wang.fang") && h.detail().contains("software server is back")));
        assertTrue(merchant.events.stream().anyMatch(e -> e instanceof UnbindEvent.OperatorAction action
                && action.action().equals("RETRY")));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UPDATE_TERMINAL_SOFTWARE));
        assertEquals("UNB-COMMAND-NOT-EXPECTED", org.junit.jupiter.api.Assertions.assertThrows(
                PosUnbindException.class, () -> merchant.unbinder.retry(opened.id(), Actor.operator("x"), "again"))
                .errorCode().code());
    }

    @Test
    void remindersFireOncePerIntervalEvenAcrossRestarts() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT));

        merchant.afterWaiting(opened.id(), Duration.ofHours(25));
        merchant.unbinder.runDueWork();
        merchant.unbinder = merchant.newUnbinder(); // a restart on the same store
        merchant.unbinder.runDueWork();
        assertEquals(1, reminders(merchant));

        merchant.afterWaiting(opened.id(), Duration.ofHours(24));
        assertEquals(2, reminders(merchant));
        assertTrue(merchant.unbinder.find(opened.id()).orElseThrow().isWaitingFor(WaitReason.FEE_CONSENT));
    }

    @Test
    void anApplicationTheInstitutionNeverDecidesLapsesAtTheDeadline() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);

        CaseSnapshot lapsed = merchant.letTimePass(opened.id(), Duration.ofDays(1), 40);

        assertEquals(CaseState.FAILED, lapsed.state());
        assertEquals("UNB-APPROVAL-EXPIRED", lapsed.failureCode().orElseThrow());
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void openingTheSameCaseIdTwiceIsIdempotent() {
        MerchantCase merchant = new MerchantCase();
        UnbindRequest request = fullReplacement().documents(allDocuments()).build();
        CaseSnapshot first = merchant.unbinder.open(CaseId.of("order-4711"), request);
        CaseSnapshot again = merchant.unbinder.open(CaseId.of("order-4711"), request);
        assertEquals(first.id(), again.id());
        assertEquals(first.version(), again.version());
        assertEquals("UNB-DUPLICATE-CASE", org.junit.jupiter.api.Assertions.assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.open(CaseId.of("order-4711"), fullReplacement().build())).errorCode().code());
    }

    private static long reminders(MerchantCase merchant) {
        return merchant.events.stream().filter(UnbindEvent.Reminder.class::isInstance).count();
    }
}
