package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.UnbindApplication;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox acquirer's review desk, taken from {@link SandboxBackend#reviews()}: a test completes or
 * refuses the operations answered {@code Pending}, and decides the applications under review, as the
 * acquirer's staff and the institution would. When reviews complete on their own is set with
 * {@link SandboxBackend#setCompletionPolicy}.
 *
 * <pre>{@code
 * backend.reviews().approve(applicationReference);
 * }</pre>
 *
 * <p>Thread-safe: every method runs under the backend's lock.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxReviews {

    private final SandboxBackend backend;
    private final ReviewDesk desk;
    private final Clock clock;

    SandboxReviews(SandboxBackend backend, ReviewDesk desk, Clock clock) {
        this.backend = backend;
        this.desk = desk;
        this.clock = clock;
    }

    /**
     * Completes a pending operation as the acquirer would after a favourable review: an account unbind
     * takes effect (the account is no longer bound), an application is approved.
     *
     * @param providerReference the reference from the {@code Pending} answer
     * @throws IllegalArgumentException when no operation is pending under that reference
     */
    public SandboxReviews completePending(String providerReference) {
        return change(() -> desk.completePending(providerReference));
    }

    /**
     * Refuses a pending account unbind after review; lookups then answer {@code Rejected}. Applications
     * are refused with {@link #reject(String, String, String)} instead, since their refusal is a decision.
     *
     * @throws IllegalArgumentException when nothing is pending under that reference, or it is an application
     */
    public SandboxReviews rejectPending(String providerReference, ErrorCode code, String providerCode,
            String message) {
        Objects.requireNonNull(code, "code");
        SandboxBackend.requireText(providerCode, "providerCode");
        SandboxBackend.requireText(message, "message");
        return change(() -> desk.rejectPending(providerReference, code, providerCode, message));
    }

    /** Approves an application under review. */
    public SandboxReviews approve(String applicationReference) {
        return decide(applicationReference, InstitutionDecision.approved(applicationReference, clock.instant()));
    }

    /** Rejects an application under review with the institution's code and words. */
    public SandboxReviews reject(String applicationReference, String reasonCode, String message) {
        return decide(applicationReference,
                InstitutionDecision.rejected(applicationReference, reasonCode, message, clock.instant()));
    }

    /** Asks for more documents on an application under review. */
    public SandboxReviews requestMoreInformation(String applicationReference, String message,
            List<DocumentKind> requestedDocuments) {
        return decide(applicationReference, new InstitutionDecision(
                InstitutionDecision.Outcome.MORE_INFORMATION_REQUIRED, applicationReference,
                "SBX-MORE-INFO", message, requestedDocuments, clock.instant()));
    }

    /**
     * Records the institution's decision on an application. From then on {@code readDecision} returns it
     * and a lookup of the submission answers {@code Done} with the attribute {@code decision} set to the
     * decision's outcome: the submission itself went through, whatever the institution decided.
     *
     * @throws IllegalArgumentException when no such application is known or the decision names another
     * @throws IllegalStateException    when the application was already decided
     */
    public SandboxReviews decide(String applicationReference, InstitutionDecision decision) {
        Objects.requireNonNull(decision, "decision");
        return change(() -> desk.decide(applicationReference, decision));
    }

    /** The references of the operations still pending, oldest first. */
    public List<String> pendingReferences() {
        return backend.inspect(desk::pendingReferences);
    }

    /** The application submitted under a reference, empty when none was. */
    public Optional<UnbindApplication> application(String applicationReference) {
        return backend.inspect(() -> desk.application(applicationReference));
    }

    /** The decision on an application, empty while under review or when unknown. Counts as no poll. */
    public Optional<InstitutionDecision> decision(String applicationReference) {
        return backend.inspect(() -> desk.decision(applicationReference));
    }

    private SandboxReviews change(Runnable change) {
        backend.change(change);
        return this;
    }
}
