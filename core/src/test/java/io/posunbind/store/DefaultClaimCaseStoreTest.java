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

    /** A due case the store cannot read is skipped; the claim still returns the others. */
    @Test
    void aDueCaseThatCannotBeReadIsSkippedAndTheOthersAreClaimed() {
        CaseStore older = new OlderStore(new InMemoryCaseStore(), Set.of("case-unreadable"));
        older.insert(aCase("case-unreadable").state("RUNNING").wakeAt(T0).build());
        older.insert(aCase("case-fine").state("RUNNING").wakeAt(T0.plusSeconds(1)).build());

        List<ClaimedCase> claimed = older.claimDue("worker-a", T0.plusSeconds(5), Duration.ofSeconds(30), 10);

        assertEquals(List.of("case-fine"), claimed.stream().map(claim -> claim.record().caseId()).toList());
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
