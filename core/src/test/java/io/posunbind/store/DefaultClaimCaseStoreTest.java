package io.posunbind.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store that implements only what {@link CaseStore} requires (an application's own store written before
 * claims existed) keeps the whole contract, claims included, through {@link CaseStore#claimDue}'s default.
 */
class DefaultClaimCaseStoreTest extends CaseStoreContract {

    @Override
    protected CaseStore openEmptyStore() {
        return new OlderStore(new InMemoryCaseStore());
    }

    /** Passes every required method through; the defaults (claims, rescheduling) stay the interface's. */
    private record OlderStore(CaseStore inner) implements CaseStore {

        @Override
        public void insert(CaseRecord record) {
            inner.insert(record);
        }

        @Override
        public Optional<CaseRecord> load(String caseId) {
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
