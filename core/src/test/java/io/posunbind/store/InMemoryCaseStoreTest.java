package io.posunbind.store;

/** The in-memory store keeps the whole {@link CaseStore} contract. */
class InMemoryCaseStoreTest extends CaseStoreContract {

    @Override
    protected CaseStore openEmptyStore() {
        return new InMemoryCaseStore();
    }
}
