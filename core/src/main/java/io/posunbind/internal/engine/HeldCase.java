package io.posunbind.internal.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * A case a worker keeps in this process, still leased to this instance, while the provider's limits let its
 * next call through only at {@link #wakeAt()}: a call deferred for a moment (a token comes back within the
 * second, a concurrent call ends) is run again from memory, without giving the case back to the store and
 * claiming it again. The store keeps the case as last written and leased, so a crash leaves it to the lease's
 * expiry, as one in a call would be. A command on the case takes it from the hold ({@link LocalLeases}).
 *
 * <p>Compared by identity: each hold is its own, so a case held again is never mistaken for its previous hold.
 * Its document belongs to the thread that holds or resumes it.
 */
final class HeldCase {

    private final CaseDocument document;
    private final Instant wakeAt;

    HeldCase(CaseDocument document, Instant wakeAt) {
        this.document = Objects.requireNonNull(document, "document");
        this.wakeAt = Objects.requireNonNull(wakeAt, "wakeAt");
    }

    String caseId() {
        return document.id;
    }

    CaseDocument document() {
        return document;
    }

    /** When the provider's limits expect to let the case's call through, on the engine's clock. */
    Instant wakeAt() {
        return wakeAt;
    }
}
