package io.posunbind.testkit.sandbox;

import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.UnbindApplication;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where operations wait for review: institution applications and their decisions, account unbinds under
 * review, and the {@link CompletionPolicy} that says when a review ends by itself. Not thread-safe:
 * {@link SandboxBackend} calls it under its lock.
 */
final class ReviewDesk {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBackend.class);

    /** An application submitted for review, with the institution's decision once there is one. */
    private static final class ApplicationState {
        final UnbindApplication application;
        final OperationRecord record;
        Optional<InstitutionDecision> decision = Optional.empty();

        ApplicationState(UnbindApplication application, OperationRecord record) {
            this.application = application;
            this.record = record;
        }
    }

    private final Clock clock;
    private final Map<String, OperationRecord> pendingByReference = new LinkedHashMap<>();
    private final Map<String, ApplicationState> applications = new LinkedHashMap<>();
    private CompletionPolicy policy = CompletionPolicy.manual();

    ReviewDesk(Clock clock) {
        this.clock = clock;
    }

    void setPolicy(CompletionPolicy policy) {
        this.policy = policy;
        completeDue();
    }

    /**
     * Accepts an operation for review under a reference: {@code Pending}, or at once {@code Done} under
     * {@link CompletionPolicy#immediate()}.
     */
    OperationOutcome review(OperationRecord record, String reference, Function<String, OperationOutcome> completion) {
        record.providerReference = Optional.of(reference);
        record.completion = Optional.of(completion);
        pendingByReference.put(reference, record);
        if (policy.mode() == CompletionPolicy.Mode.IMMEDIATE) {
            complete(record);
            return record.outcome;
        }
        return OperationOutcome.pending(reference, policy.pollAfter());
    }

    /**
     * Accepts an application for review. It is registered at once, so that {@code readDecision} answers
     * empty while it is under review; a completion without a test's decision approves it.
     */
    OperationOutcome acceptApplication(OperationRecord record, UnbindApplication application, String reference) {
        record.application = true;
        ApplicationState state = new ApplicationState(application, record);
        applications.put(reference, state);
        return review(record, reference, ref -> {
            InstitutionDecision approval = InstitutionDecision.approved(ref, clock.instant());
            state.decision = Optional.of(approval);
            return decidedOutcome(ref, approval);
        });
    }

    /** Reads a decision on behalf of the adapter: a poll, which may complete the review. */
    Optional<InstitutionDecision> pollDecision(String applicationReference) {
        ApplicationState state = applications.get(applicationReference);
        if (state == null) {
            throw new ProviderException(StandardErrorCode.INVALID_REQUEST, "SBX-APP-NOT-FOUND",
                    "No application " + applicationReference + " was submitted to the sandbox");
        }
        if (state.record.pending()) {
            poll(state.record);
        }
        return state.decision;
    }

    void completePending(String providerReference) {
        complete(pendingRecord(providerReference));
    }

    void rejectPending(String providerReference, ErrorCode code, String providerCode, String message) {
        OperationRecord record = pendingRecord(providerReference);
        if (record.application) {
            throw new IllegalArgumentException(providerReference
                    + " is an application: refuse it with reject(reference, reasonCode, message)");
        }
        record.refusal.run();
        finish(record, OperationOutcome.rejected(code, providerCode, message));
    }

    void decide(String applicationReference, InstitutionDecision decision) {
        ApplicationState state = applications.get(applicationReference);
        if (state == null) {
            throw new IllegalArgumentException("No application " + applicationReference + " was submitted");
        }
        if (!decision.applicationReference().equals(applicationReference)) {
            throw new IllegalArgumentException("The decision is about " + decision.applicationReference()
                    + ", not " + applicationReference);
        }
        if (state.decision.isPresent()) {
            throw new IllegalStateException("Application " + applicationReference + " was already decided: "
                    + state.decision.get().outcome());
        }
        state.decision = Optional.of(decision);
        finish(state.record, decidedOutcome(applicationReference, decision));
    }

    List<String> pendingReferences() {
        completeDue();
        return List.copyOf(pendingByReference.keySet());
    }

    Optional<UnbindApplication> application(String applicationReference) {
        return Optional.ofNullable(applications.get(applicationReference)).map(state -> state.application);
    }

    Optional<InstitutionDecision> decision(String applicationReference) {
        completeDue();
        return Optional.ofNullable(applications.get(applicationReference)).flatMap(state -> state.decision);
    }

    /** A lookup of a pending operation counts as a poll, which may end its review. */
    void poll(OperationRecord record) {
        record.polls++;
        if (policy.mode() == CompletionPolicy.Mode.AFTER_POLLS && record.polls >= policy.polls()) {
            complete(record);
        }
    }

    /** Completes what the policy says is due; called on every entry so that no timer thread is needed. */
    void completeDue() {
        if (pendingByReference.isEmpty()) {
            return;
        }
        CompletionPolicy.Mode mode = policy.mode();
        if (mode == CompletionPolicy.Mode.IMMEDIATE) {
            List.copyOf(pendingByReference.values()).forEach(this::complete);
        } else if (mode == CompletionPolicy.Mode.AFTER_DURATION) {
            Instant now = clock.instant();
            for (OperationRecord record : List.copyOf(pendingByReference.values())) {
                if (!now.isBefore(record.acceptedAt.plus(policy.delay()))) {
                    complete(record);
                }
            }
        }
    }

    private OperationRecord pendingRecord(String providerReference) {
        Objects.requireNonNull(providerReference, "providerReference");
        completeDue();
        OperationRecord record = pendingByReference.get(providerReference);
        if (record == null) {
            throw new IllegalArgumentException("Nothing is pending under " + providerReference
                    + "; pending: " + pendingByReference.keySet());
        }
        return record;
    }

    private void complete(OperationRecord record) {
        String reference = record.providerReference.orElseThrow();
        Function<String, OperationOutcome> completion = record.completion.orElseThrow();
        finish(record, completion.apply(reference));
    }

    private void finish(OperationRecord record, OperationOutcome outcome) {
        record.completion = Optional.empty();
        record.outcome = outcome;
        record.providerReference.ifPresent(pendingByReference::remove);
        LOG.debug("sandbox {} key={} completed: {}", record.kind, record.key, SandboxAnswers.describe(outcome));
    }

    private static OperationOutcome decidedOutcome(String applicationReference, InstitutionDecision decision) {
        return new OperationOutcome.Done(applicationReference, Map.of("decision", decision.outcome().name()));
    }
}
