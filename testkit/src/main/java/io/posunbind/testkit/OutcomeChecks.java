package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks on what one mutating call answers, the same for every binding: HTTP errors and timeouts are
 * outcomes, a 429 waits for the provider's Retry-After, Pending keeps its reference, Rejected keeps its
 * codes, and nothing let out carries a secret or a clear number.
 */
final class OutcomeChecks {

    private final ContractBase contract;
    private final Binding binding;

    OutcomeChecks(ContractBase contract, Binding binding) {
        this.contract = contract;
        this.binding = binding;
    }

    /** A 500, 429, connection reset, timeout or slow answer is answered with an outcome, never thrown. */
    void httpErrorsAreAnswered() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        List<String> problems = new ArrayList<>();
        List<Fault> tried = new ArrayList<>();
        for (Fault fault : List.of(Fault.serverError(), Fault.rateLimited(Duration.ofSeconds(30)),
                Fault.connectionReset(), Fault.timeout(), Fault.slowAnswer(Duration.ofSeconds(2)))) {
            ProbeOperation operation = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
            if (!contract.inject(operation, fault)) {
                continue;
            }
            tried.add(fault);
            try {
                OperationOutcome outcome = contract.send(binding, provider, operation, 1);
                if (!allowedAnswerTo(fault, outcome)) {
                    problems.add(fault.kind() + " was answered " + outcome.getClass().getSimpleName()
                            + "; expected " + expectedAnswerTo(fault));
                }
            } catch (RuntimeException e) {
                problems.add(fault.kind() + " threw " + e + "; answer " + expectedAnswerTo(fault) + " instead");
            }
        }
        assumeTrue(!tried.isEmpty(), "the fake backend produces none of the faults for " + kind
                + " (failNext refused them all)");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** A 429 is a RetryableFailure carrying the provider's Retry-After, and performs nothing. */
    void rateLimitingWaitsForRetryAfter() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        ProbeOperation operation = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        Duration retryAfter = Duration.ofSeconds(42);
        contract.requireFault(operation, Fault.rateLimited(retryAfter));
        OperationOutcome outcome = contract.sendWithoutThrowing(binding, provider, operation, 1, "a 429");
        OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class,
                outcome, "a 429 must answer RetryableFailure");
        assertEquals(Optional.of(retryAfter), failure.retryAfter(),
                "a 429 must carry the provider's Retry-After as retryAfter");
        assertEquals(0, contract.effectsOf(operation), "a 429 performs nothing");
    }

    /** A request that took effect but whose answer was lost is Unknown: the engine must look it up. */
    void timeoutIsUnknown() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        ProbeOperation operation = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        contract.requireFault(operation, Fault.timeout());
        OperationOutcome outcome = contract.sendWithoutThrowing(binding, provider, operation, 1, "a timeout");
        assertInstanceOf(OperationOutcome.Unknown.class, outcome,
                "a timeout must answer Unknown: the request may have taken effect");
    }

    /**
     * An asynchronous acceptance is Pending with a reference that stays the same until it resolves, then
     * looks up as Done every time.
     */
    void pendingKeepsItsReference() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        ProbeOperation operation = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        try {
            contract.backend().holdNextAsPending(kind);
        } catch (UnsupportedOperationException e) {
            abort("the fake backend cannot answer asynchronously: implement BackendFaults.holdNextAsPending"
                    + " and completePending to run this check");
        }
        OperationOutcome outcome = contract.sendWithoutThrowing(binding, provider, operation, 1,
                "an accepted asynchronous request");
        OperationOutcome.Pending pending = assertInstanceOf(OperationOutcome.Pending.class, outcome,
                "a request the backend accepted asynchronously must answer Pending");
        if (binding.pendingNeedsReference(provider)) {
            assertTrue(pending.providerReference().filter(reference -> !reference.isBlank()).isPresent(),
                    "a pending " + binding.name() + " operation must carry the provider's reference: "
                            + (provider.honoursIdempotencyKeys() ? "people review it and quote it"
                                    : "the provider honours no key, so the engine can poll it by nothing else"));
        }
        for (int i = 0; i < 2; i++) {
            Optional<OperationOutcome> polled = contract.lookUp(binding,
                    operation.persisted(pending.providerReference()));
            assertEquals(Optional.of(pending.providerReference()),
                    polled.filter(OperationOutcome.Pending.class::isInstance)
                            .map(p -> ((OperationOutcome.Pending) p).providerReference()),
                    "polling a pending operation must answer Pending with the same reference, answered " + polled);
        }
        contract.backend().completePending();
        Optional<OperationOutcome> resolved = contract.lookUp(binding,
                operation.persisted(pending.providerReference()));
        assertInstanceOf(OperationOutcome.Done.class, resolved.orElse(null),
                "once the backend finished it, the pending operation must look up as Done");
        assertEquals(resolved, contract.lookUp(binding, operation.persisted(pending.providerReference())),
                "a finished operation must look up the same way every time");
        assertEquals(1, contract.effectsOf(operation), "the pending operation took effect once");
    }

    /**
     * A business refusal is Rejected with a code and provider code that do not vary with the request, and
     * stays refused under its key. The request id and the message may differ from call to call.
     */
    void rejectedKeepsItsCodes() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        List<OperationOutcome.Rejected> refusals = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String subject = binding.seedThatRefuses(contract.backend());
            subjects.add(subject);
            ProbeOperation operation = contract.newOperation(binding, provider, kind, subject);
            OperationOutcome outcome = contract.sendWithoutThrowing(binding, provider, operation, 1, "a refusal");
            OperationOutcome.Rejected refusal = assertInstanceOf(OperationOutcome.Rejected.class, outcome,
                    "a business refusal must answer Rejected");
            refusals.add(refusal);
            // Only the codes must repeat: the request id and the message may name this one request.
            OperationOutcome.Rejected again = assertInstanceOf(OperationOutcome.Rejected.class,
                    contract.sendWithoutThrowing(binding, provider, operation, 2, "a refusal sent again"),
                    "a refused request sent again under its key must stay Rejected");
            assertEquals(refusal.code().code(), again.code().code(),
                    "a refused request sent again under its key must carry the same code");
            assertEquals(refusal.providerCode(), again.providerCode(),
                    "a refused request sent again under its key must carry the same provider code");
        }
        OperationOutcome.Rejected first = refusals.get(0);
        OperationOutcome.Rejected second = refusals.get(1);
        assertEquals(first.code().code(), second.code().code(), "the same refusal must carry the same code");
        assertEquals(first.providerCode(), second.providerCode(),
                "the same refusal must carry the same provider code");
        for (int i = 0; i < refusals.size(); i++) {
            OperationOutcome.Rejected refusal = refusals.get(i);
            assertTrue(!refusal.code().code().isBlank() && !refusal.providerCode().isBlank(),
                    "a refusal needs a code and the provider's code");
            String subject = subjects.get(i);
            assertTrue(!refusal.code().code().contains(subject) && !refusal.providerCode().contains(subject),
                    "codes are stable identifiers: keep the serial or merchant number in the message, not in the code");
        }
    }

    /**
     * Scans what the binding's mutating calls let out: the answer, the note from prepare, the answers and
     * lookups under faults, and a refusal when the backend can refuse.
     */
    void scanCalls(SecretScan scan, PaymentProvider provider) {
        OperationKind kind = binding.requireDeclared(provider);
        String what = binding.name() + " " + kind;
        ProbeOperation answered = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        ContractBase.scanCall(scan, what, () -> contract.send(binding, provider, answered, 1));
        ContractBase.scanNote(scan, answered);
        for (Fault fault : List.of(Fault.serverError(), Fault.timeout(), Fault.connectionReset())) {
            ProbeOperation operation = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
            if (contract.inject(operation, fault)) {
                ContractBase.scanCall(scan, what + " under " + fault.kind(),
                        () -> contract.send(binding, provider, operation, 1));
                ContractBase.scanNote(scan, operation);
                ContractBase.scanCall(scan, "lookup after " + fault.kind(),
                        () -> binding.adapter(provider).orElseThrow().lookup(operation.persisted()));
            }
        }
        String refusing;
        try {
            refusing = binding.seedRefusingOn(contract.backend());
        } catch (UnsupportedOperationException e) {
            return;
        }
        ProbeOperation refused = contract.newOperation(binding, provider, kind, refusing);
        ContractBase.scanCall(scan, what + " refused", () -> contract.send(binding, provider, refused, 1));
    }

    private static boolean allowedAnswerTo(Fault fault, OperationOutcome outcome) {
        return switch (fault.kind()) {
            case SERVER_ERROR, CONNECTION_RESET -> outcome instanceof OperationOutcome.RetryableFailure
                    || outcome instanceof OperationOutcome.Unknown;
            case RATE_LIMITED -> outcome instanceof OperationOutcome.RetryableFailure;
            case TIMEOUT -> outcome instanceof OperationOutcome.Unknown;
            case SLOW_ANSWER -> ContractBase.tookOrIsTakingEffect(outcome) || outcome instanceof OperationOutcome.Unknown;
        };
    }

    private static String expectedAnswerTo(Fault fault) {
        return switch (fault.kind()) {
            case SERVER_ERROR, CONNECTION_RESET -> "RetryableFailure or Unknown";
            case RATE_LIMITED -> "RetryableFailure";
            case TIMEOUT -> "Unknown";
            case SLOW_ANSWER -> "Done, Pending, or Unknown when it outlasts the adapter's timeout";
        };
    }
}
