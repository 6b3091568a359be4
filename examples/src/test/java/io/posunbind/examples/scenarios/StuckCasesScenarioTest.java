package io.posunbind.examples.scenarios;

import static io.posunbind.examples.scenarios.MerchantCase.allDocuments;
import static io.posunbind.examples.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator looks for cases stuck on the bank. The engine polls the institution every minute on the
 * case's behalf; those polls find nothing new, so they must neither make the case look recently changed
 * nor tell the listeners again and again that it waits.
 */
class StuckCasesScenarioTest {

    private static final Duration WEEK = Duration.ofDays(7);

    @TempDir
    Path directory;

    @Test
    void aCasePolledForAWeekIsFoundWaitingForTheInstitutionInMemory() {
        aCasePolledForAWeekIsFoundWaitingForTheInstitution(new InMemoryCaseStore());
    }

    @Test
    void aCasePolledForAWeekIsFoundWaitingForTheInstitutionOnH2() {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(directory.resolve("data"), directory.resolve("keys"))) {
            aCasePolledForAWeekIsFoundWaitingForTheInstitution(store);
        }
    }

    private static void aCasePolledForAWeekIsFoundWaitingForTheInstitution(CaseStore store) {
        MerchantCase merchant = new MerchantCase(store);
        // No reminder within the week: they are changes of their own, recorded in the case's history.
        merchant.unbinder = merchant.builderOn(store).reminderInterval(Duration.ofDays(30)).build();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot waiting = merchant.agreeToFees(opened);
        assertTrue(waiting.isWaitingFor(WaitReason.INSTITUTION_DECISION), waiting.toString());

        for (int hour = 0; hour < 8 * 24; hour++) {
            merchant.afterWaiting(opened.id(), Duration.ofHours(1)); // every hour, a poll of the bank
        }

        Instant now = merchant.clock.instant();
        CaseSnapshot stillWaiting = merchant.unbinder.find(opened.id()).orElseThrow();
        assertTrue(stillWaiting.isWaitingFor(WaitReason.INSTITUTION_DECISION));
        assertEquals(waiting.updatedAt(), stillWaiting.updatedAt(), "polls that found nothing changed nothing");
        assertEquals(List.of(opened.id()), ids(merchant.unbinder.findCases(CaseFilter.builder()
                .waitingFor(WaitReason.INSTITUTION_DECISION).waitingSinceBefore(now.minus(WEEK)).build())));
        assertEquals(List.of(opened.id()), ids(merchant.unbinder.findCases(CaseFilter.builder()
                .state(CaseState.WAITING).updatedBefore(now.minus(WEEK)).build())),
                "the documented query, waiting and not updated for a week, finds it too");
        assertEquals(List.of(), ids(merchant.unbinder.findCases(CaseFilter.builder()
                .waitingFor(WaitReason.FEE_CONSENT).build())));
        assertEquals(1, merchant.events.stream().filter(event -> event instanceof UnbindEvent.CaseWaiting waitingEvent
                && waitingEvent.reason() == WaitReason.INSTITUTION_DECISION).count(),
                "one CaseWaiting when the wait began, none per poll");

        // The polls did go on: the bank's approval is picked up by the next one.
        merchant.sandbox.approve(merchant.applicationReference());
        CaseSnapshot approved = merchant.afterWaiting(opened.id(), Duration.ofMinutes(2));
        assertFalse(approved.isWaitingFor(WaitReason.INSTITUTION_DECISION), approved.toString());
    }

    private static List<CaseId> ids(List<CaseSnapshot> cases) {
        return cases.stream().map(CaseSnapshot::id).toList();
    }
}
