package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    @Test
    void aCasePolledForAWeekIsFoundWaitingForTheInstitutionOnPostgres() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                JdbcCaseStore store = JdbcCaseStore.create(postgres.getPostgresDatabase())) {
            aCasePolledForAWeekIsFoundWaitingForTheInstitution(new WithDataKeys(store,
                    StaticDataKeyProvider.of(DataKey.generate("test", new SecureRandom()))));
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
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        CaseSnapshot approved = merchant.afterWaiting(opened.id(), Duration.ofMinutes(2));
        assertFalse(approved.isWaitingFor(WaitReason.INSTITUTION_DECISION), approved.toString());
    }

    /** Daily reminders are news of their own; the wait they remind of is still reported once. */
    @Test
    void remindersDuringTheWaitDoNotRepeatTheWaitingEvent() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);

        for (int hour = 0; hour < 3 * 24 + 1; hour++) {
            merchant.afterWaiting(opened.id(), Duration.ofHours(1));
        }

        assertEquals(3, merchant.events.stream().filter(UnbindEvent.Reminder.class::isInstance).count());
        assertEquals(1, merchant.events.stream().filter(event -> event instanceof UnbindEvent.CaseWaiting waitingEvent
                && waitingEvent.reason() == WaitReason.INSTITUTION_DECISION).count());
        assertEquals(List.of(opened.id()), ids(merchant.unbinder.findCases(CaseFilter.builder()
                .waitingFor(WaitReason.INSTITUTION_DECISION)
                .waitingSinceBefore(merchant.clock.instant().minus(Duration.ofDays(3))).build())));
    }

    private static List<CaseId> ids(List<CaseSnapshot> cases) {
        return cases.stream().map(CaseSnapshot::id).toList();
    }

    /** A store on a shared database has no keys of its own: this one brings the test's, and is otherwise the store. */
    private record WithDataKeys(CaseStore store, DataKeyProvider keys) implements CaseStore {

        @Override
        public Optional<DataKeyProvider> defaultDataKeys() {
            return Optional.of(keys);
        }

        @Override
        public void insert(CaseRecord record) {
            store.insert(record);
        }

        @Override
        public Optional<CaseRecord> load(String caseId) {
            return store.load(caseId);
        }

        @Override
        public void update(CaseRecord record, long expectedVersion) {
            store.update(record, expectedVersion);
        }

        @Override
        public void reschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt,
                Optional<String> leaseOwner, Optional<Instant> leaseUntil) {
            store.reschedule(caseId, expectedVersion, wakeAt, leaseOwner, leaseUntil);
        }

        @Override
        public List<String> findDue(Instant now, int limit) {
            return store.findDue(now, limit);
        }

        @Override
        public boolean renewLease(String caseId, String owner, Instant until) {
            return store.renewLease(caseId, owner, until);
        }

        @Override
        public List<CaseRecord> findCases(CaseFilter filter) {
            return store.findCases(filter);
        }

        @Override
        public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
            return store.findOpenCaseIds(providerId, terminalSerial);
        }

        @Override
        public List<String> findByProviderReference(String providerId, String reference) {
            return store.findByProviderReference(providerId, reference);
        }
    }
}
