package io.posunbind.audit;

class InMemoryAuditStoreTest extends AuditStoreContract {

    @Override
    protected AuditStore openEmptyStore() {
        return new InMemoryAuditStore();
    }
}
