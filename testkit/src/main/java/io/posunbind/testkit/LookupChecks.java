package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The checks on keys, lookups and effects, the same for every binding: what the engine does after a lost
 * answer (look up, then resend under the same key only if nothing was found) ends in exactly one effect at
 * the backend, whether the provider honours idempotency keys or not.
 */
final class LookupChecks {

    private final ContractBase contract;
    private final Binding binding;

    LookupChecks(ContractBase contract, Binding binding) {
        this.contract = contract;
        this.binding = binding;
    }

    /**
     * After an Unknown, lookup finds the operation from what the engine persisted before the call alone, also
     * in a fresh provider instance (a restarted process).
     */
    void lookupAfterUnknownFindsTheEffect() {
        PaymentProvider sender = contract.newProvider();
        OperationKind kind = binding.requireDeclared(sender);
        ProbeOperation operation = contract.newOperation(binding, sender, kind, binding.seed(contract.backend()));
        contract.requireFault(operation, Fault.timeout());
        contract.sendIgnoringThrows(binding, sender, operation, 1);
        assertEquals(1, contract.effectsOf(operation), "the timed-out request took effect at the backend");
        Optional<OperationOutcome> sameInstance = binding.adapter(sender).orElseThrow().lookup(operation.persisted());
        Optional<OperationOutcome> freshInstance = contract.lookUp(binding, operation.persisted());
        if (!sender.honoursIdempotencyKeys() && sameInstance.isEmpty() && freshInstance.isEmpty()) {
            assertTheResendAfterAnEmptyLookupIsNoSecondEffect(operation);
            return;
        }
        assertTrue(sameInstance.filter(ContractBase::tookOrIsTakingEffect).isPresent(),
                "lookup after a timeout must find the operation (Done or Pending), found " + sameInstance);
        assertTrue(freshInstance.filter(ContractBase::tookOrIsTakingEffect).isPresent(),
                "lookup from a fresh provider instance (a restarted process) must find the operation from what the"
                        + " engine persisted alone, found " + freshInstance);
    }

    /** A key never sent, or lost before it arrived, looks up as empty, so the engine sends it. */
    void lookupOfANeverSentKeyIsEmpty() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        ProbeOperation neverSent = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        // The engine asks for the note and persists it before the first call, so a lookup sees it.
        neverSent.prepareOnce(binding.adapter(provider).orElseThrow());
        assertEquals(Optional.empty(), contract.lookUp(binding, neverSent.persisted()),
                "a key never sent must look up as empty, so the engine sends it");
        ProbeOperation lost = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        if (contract.inject(lost, Fault.connectionReset())) {
            contract.sendIgnoringThrows(binding, contract.newProvider(), lost, 1);
            assertEquals(Optional.empty(), contract.lookUp(binding, lost.persisted()),
                    "a request lost before it reached the backend must look up as empty");
        }
    }

    /**
     * The same key sent twice, also after a timeout and from a fresh instance, takes effect once, when the
     * provider claims to honour keys. A provider that does not is never sent a key twice without a lookup
     * first: lookup after an answer finds the effect by what the answer gave, and after a lost answer the
     * engine's lookup-then-resend ends in one effect. A provider that remembers keys for a while must do both.
     */
    void oneKeyIsOneEffect() {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        ProbeOperation operation = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        if (!provider.honoursIdempotencyKeys()) {
            OperationOutcome answer = contract.sendWithoutThrowing(binding, provider, operation, 1, "the request");
            assertEquals(1, contract.effectsOf(operation), "one request must take effect once, answered " + answer);
            Optional<OperationOutcome> found = contract.lookUp(binding, operation.persisted(ContractBase.referenceOf(
                    answer)));
            assertTrue(found.filter(ContractBase::tookOrIsTakingEffect).isPresent(), "the provider does not honour"
                    + " idempotency keys, so the engine looks an operation up before it sends it again: lookup after"
                    + " it took effect must find it (Done or Pending), found " + found);
            ProbeOperation timedOut = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
            if (contract.inject(timedOut, Fault.timeout())) {
                contract.sendIgnoringThrows(binding, contract.newProvider(), timedOut, 1);
                if (contract.lookUp(binding, timedOut.persisted()).filter(ContractBase::tookOrIsTakingEffect)
                        .isEmpty()) {
                    assertTheResendAfterAnEmptyLookupIsNoSecondEffect(timedOut);
                }
            }
            return;
        }
        OperationOutcome first = contract.sendWithoutThrowing(binding, provider, operation, 1, "the first request");
        OperationOutcome second = contract.sendWithoutThrowing(binding, provider, operation, 2,
                "the same request again");
        assertEquals(1, contract.effectsOf(operation),
                "the same key sent twice must take effect once (the provider declares honoursIdempotencyKeys());"
                        + " first " + first + ", then " + second);
        assertEquals(first.getClass(), second.getClass(), "the same key sent again must answer as the first time");
        ProbeOperation timedOut = contract.newOperation(binding, provider, kind, binding.seed(contract.backend()));
        if (contract.inject(timedOut, Fault.timeout())) {
            contract.sendIgnoringThrows(binding, contract.newProvider(), timedOut, 1);
            contract.sendWithoutThrowing(binding, contract.newProvider(), timedOut, 2, "a resend after a timeout");
            assertEquals(1, contract.effectsOf(timedOut),
                    "a resend after a timeout, from a fresh provider, must not take effect a second time");
        }
        if (provider.idempotencyKeyRetention().isPresent()) {
            Optional<OperationOutcome> found = contract.lookUp(binding, operation.persisted());
            assertTrue(found.filter(ContractBase::tookOrIsTakingEffect).isPresent(), "the provider remembers keys for "
                    + provider.idempotencyKeyRetention().get() + " only, so past that the engine looks an operation"
                    + " up before it sends it again: lookup after it took effect must find it (Done or Pending),"
                    + " found " + found);
        }
    }

    /**
     * What the engine does when the lookup after a lost answer finds nothing at a provider without keys: it
     * sends again under the same key. That must not be a second effect (the provider refuses the repetition,
     * or the adapter recognises it), and once the backend finished the first, lookup must find it.
     */
    private void assertTheResendAfterAnEmptyLookupIsNoSecondEffect(ProbeOperation operation) {
        OperationOutcome resent;
        try {
            resent = contract.send(binding, contract.newProvider(), operation, 2);
        } catch (RuntimeException e) {
            resent = OperationOutcome.unknown("threw " + e);
        }
        assertEquals(1, contract.effectsOf(operation), "the provider honours no idempotency key and its lookup found"
                + " nothing after a lost answer, so the engine sent the operation again: that took effect a second"
                + " time (answered " + resent + "); the lookup must find what took effect");
        try {
            contract.backend().completePending();
        } catch (UnsupportedOperationException e) {
            return;
        }
        Optional<OperationOutcome> found = contract.lookUp(binding, operation.persisted());
        assertTrue(found.filter(ContractBase::tookOrIsTakingEffect).isPresent(), "once the backend finished the"
                + " operation whose answer was lost, lookup must find it (Done or Pending), found " + found);
    }

    /**
     * Concurrent calls on one provider with distinct keys each take effect exactly once; for a provider that
     * does not honour keys, each at least once and found by its own lookup with what its answer gave.
     */
    void callsAreThreadSafe() throws InterruptedException {
        PaymentProvider provider = contract.newProvider();
        OperationKind kind = binding.requireDeclared(provider);
        boolean honoursKeys = provider.honoursIdempotencyKeys();
        int threads = contract.concurrency();
        List<ProbeOperation> operations = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            operations.add(contract.newOperation(binding, provider, kind, binding.seed(contract.backend())));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<String> problems = new ArrayList<>();
        List<Optional<OperationOutcome>> outcomes = new ArrayList<>();
        try {
            List<Future<OperationOutcome>> answers = new ArrayList<>();
            for (ProbeOperation operation : operations) {
                answers.add(executor.submit(() -> {
                    start.await();
                    return contract.send(binding, provider, operation, 1);
                }));
            }
            start.countDown();
            for (int i = 0; i < threads; i++) {
                outcomes.add(Optional.empty());
                try {
                    outcomes.set(i, Optional.of(answers.get(i).get(60, TimeUnit.SECONDS)));
                } catch (ExecutionException e) {
                    problems.add("call " + i + " threw " + e.getCause());
                } catch (TimeoutException e) {
                    problems.add("call " + i + " did not answer within 60 s");
                }
            }
        } finally {
            executor.shutdownNow();
        }
        for (int i = 0; i < threads; i++) {
            ProbeOperation operation = operations.get(i);
            int effects = contract.effectsOf(operation);
            if (honoursKeys ? effects != 1 : effects < 1) {
                problems.add(operation.subject() + " under its own key took effect " + effects + " times");
            }
            Optional<String> reference = outcomes.get(i).flatMap(ContractBase::referenceOf);
            if (!honoursKeys && binding.adapter(provider).orElseThrow().lookup(operation.persisted(reference))
                    .filter(ContractBase::tookOrIsTakingEffect).isEmpty()) {
                problems.add(operation.subject() + " took effect but lookup under its own key does not find it");
            }
        }
        assertTrue(problems.isEmpty(), threads + " concurrent " + binding.name() + " calls with distinct keys on one"
                + " provider:\n" + String.join("\n", problems));
    }
}
