package io.posunbind.store;

import static io.posunbind.store.CaseRecordBuilder.T0;
import static io.posunbind.store.CaseRecordBuilder.aCase;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A store that implements only what {@link CaseStore} requires (an application's own store written before
 * claims existed) keeps the whole contract, claims included, through {@link CaseStore#claimDue}'s default.
 */
class DefaultClaimCaseStoreTest extends CaseStoreContract {

    @Override
    protected CaseStore openEmptyStore() {
        return new OlderStore(new InMemoryCaseStore(), Set.of());
    }

    /**
     * Due cases the store cannot read are skipped, and the claim looks past them: they are due first, yet a claim of
     * one case still gets the first case that can be read.
     */
    @Test
    void dueCasesThatCannotBeReadAreSkippedAndTheClaimLooksPastThem() {
        CaseStore older = new OlderStore(new InMemoryCaseStore(), Set.of("case-unreadable-1", "case-unreadable-2"));
        older.insert(aCase("case-unreadable-1").state("RUNNING").wakeAt(T0).build());
        older.insert(aCase("case-unreadable-2").state("RUNNING").wakeAt(T0.plusMillis(1)).build());
        older.insert(aCase("case-fine").state("RUNNING").wakeAt(T0.plusSeconds(1)).build());
        older.insert(aCase("case-also-fine").state("RUNNING").wakeAt(T0.plusSeconds(2)).build());

        List<ClaimedCase> one = older.claimDue("worker-a", T0.plusSeconds(5), Duration.ofSeconds(30), 1);
        List<ClaimedCase> rest = older.claimDue("worker-b", T0.plusSeconds(5), Duration.ofSeconds(30), 10);

        assertEquals(List.of("case-fine"), one.stream().map(claim -> claim.record().caseId()).toList());
        assertEquals(List.of("case-also-fine"), rest.stream().map(claim -> claim.record().caseId()).toList());
    }

    /**
     * Passes every required method through; the defaults (claims, rescheduling) stay the interface's. Loading a
     * case named in {@code unreadable} fails as a store that cannot put it together does.
     */
    private record OlderStore(CaseStore inner, Set<String> unreadable) implements CaseStore {

        @Override
        public void insert(CaseRecord record) {
            inner.insert(record);
        }

        @Override
        public Optional<CaseRecord> load(String caseId) {
            if (unreadable.contains(caseId)) {
                throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Stored case " + caseId + " is unreadable",
                        null, null);
            }
            return inner.load(caseId);
        }

        @Override
        public void update(CaseRecord record, long expectedVersion) {
            inner.update(record, expectedVersion);
        }

        @Override
        public List<String> findDue(Instant now, int limit) {
            return inner.findDue(now, limit);
        }

        @Override
        public boolean renewLease(String caseId, String owner, Instant until) {
            return inner.renewLease(caseId, owner, until);
        }

        @Override
        public List<CaseRecord> findCases(CaseFilter filter) {
            return inner.findCases(filter);
        }

        @Override
        public List<String> findByProviderReference(String providerId, String reference) {
            return inner.findByProviderReference(providerId, reference);
        }

        @Override
        public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
            return inner.findOpenCaseIds(providerId, terminalSerial);
        }
    }
}
