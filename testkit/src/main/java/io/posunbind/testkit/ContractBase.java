package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.model.SettlementAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every part of {@link PaymentProviderContract} shares: the hooks an adapter author implements, and
 * the probes the checks build on (an operation kept as the engine keeps it, sent through one binding's
 * adapter, faults injected, effects counted). One instance per check, as JUnit creates them.
 *
 * <p>Public, like the parts that extend it, only so that a single check can be selected and run (by an IDE,
 * by the JUnit launcher) on the class that declares it: a public class inheriting public methods from a
 * package-private one gets javac's access bridges, which the launcher finds first and does not run. Its
 * constructor is package-private: extend {@link PaymentProviderContract}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public abstract class ContractBase {

    /** Only {@link PaymentProviderContract} extends it, in this package: extend that. */
    ContractBase() {
    }

    private final String run = UUID.randomUUID().toString().replace("-", "");
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * A new provider instance on the same fake backend, built as a freshly started process would build
     * it; the contract calls it several times in one check (for example to look up from a fresh instance).
     */
    protected abstract PaymentProvider newProvider();

    /** The handle on the fake backend the providers from {@link #newProvider()} talk to; the same one on every call. */
    protected abstract BackendFaults backend();

    /** Values that must never appear in an exception, a {@code toString()} or an export: API keys, tokens. */
    protected Set<String> secrets() {
        return Set.of();
    }

    /** The mutating device operation the device checks send; the default disables the terminal. */
    protected Probe probe() {
        return Probe.DISABLE_TERMINAL;
    }

    /**
     * The settings a host gives the provider's factory ({@code Unbinder.builder().providerSettings(id, ...)}),
     * pointing at the fake backend; empty by default. The registration check creates the provider through
     * the factory with them, and the construction check counts the factory's requests.
     */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** How many threads the concurrency checks run at once. */
    protected int concurrency() {
        return 8;
    }

    /** The class loader whose {@link ServiceLoader} must find the provider; the test class's by default. */
    protected ClassLoader serviceClassLoader() {
        return getClass().getClassLoader();
    }

    // Shared probes ------------------------------------------------------------------------------------

    final Binding deviceBinding() {
        return Binding.device(probe());
    }

    /** A new operation on the subject, as the engine builds it: for an account, after reading the account. */
    final ProbeOperation newOperation(Binding binding, PaymentProvider provider, OperationKind kind, String subject) {
        int n = sequence.incrementAndGet();
        Optional<SettlementAccount> account = binding.accountOf(provider, subject);
        OperationTarget target = binding.target(provider, backend(), subject, account);
        return new ProbeOperation(new IdempotencyKey("testkit-" + run + "-" + n), kind,
                "testkit-case-" + run.substring(0, 8) + "-" + n, target, binding.arguments(backend(), kind, subject),
                subject, account, Instant.now());
    }

    /** Prepares the operation once, as the engine does before the first call, and sends one attempt. */
    final OperationOutcome send(Binding binding, PaymentProvider provider, ProbeOperation operation, int attempt) {
        operation.prepareOnce(binding.adapter(provider).orElseThrow());
        return binding.send(provider, operation, operation.context(attempt));
    }

    final OperationOutcome sendWithoutThrowing(Binding binding, PaymentProvider provider, ProbeOperation operation,
            int attempt, String what) {
        try {
            return send(binding, provider, operation, attempt);
        } catch (RuntimeException e) {
            return fail(what + " made the " + binding.name() + " operation " + operation.kind()
                    + " throw; a mutating call answers an OperationOutcome", e);
        }
    }

    /** Sends, and keeps quiet about a throw: another check reports it, here only what follows counts. */
    final void sendIgnoringThrows(Binding binding, PaymentProvider provider, ProbeOperation operation, int attempt) {
        try {
            send(binding, provider, operation, attempt);
        } catch (RuntimeException e) {
            // The checks on outcomes report the throw.
        }
    }

    /** A lookup as the engine makes it, from the persisted operation, by a fresh provider instance. */
    final Optional<OperationOutcome> lookUp(Binding binding, SentOperation persisted) {
        return binding.adapter(newProvider()).orElseThrow().lookup(persisted);
    }

    /** Injects the fault for the operation's kind; false when the fake backend cannot produce it. */
    final boolean inject(ProbeOperation operation, Fault fault) {
        try {
            backend().failNext(operation.kind(), fault);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    final void requireFault(ProbeOperation operation, Fault fault) {
        if (!inject(operation, fault)) {
            abort("the fake backend cannot produce " + fault.kind() + " for " + operation.kind()
                    + " (BackendFaults.failNext refused it)");
        }
    }

    /** The effects the backend performed for the operation: on its own target where the fake counts so, else by key. */
    final int effectsOf(ProbeOperation operation) {
        try {
            return backend().effectsOn(operation.target());
        } catch (UnsupportedOperationException e) {
            return backend().effectsUnder(operation.key());
        }
    }

    /** The reference the engine persists from an answer, for its later lookups. */
    static Optional<String> referenceOf(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Pending pending) {
            return pending.providerReference();
        }
        return outcome instanceof OperationOutcome.Done done ? Optional.of(done.providerReference())
                : Optional.empty();
    }

    static boolean tookOrIsTakingEffect(OperationOutcome outcome) {
        return outcome instanceof OperationOutcome.Done || outcome instanceof OperationOutcome.Pending;
    }

    static void scanCall(SecretScan scan, String where, Supplier<?> call) {
        try {
            scan.scan(where, withoutTheProvidersIds(call.get()));
        } catch (RuntimeException e) {
            scan.scan(where, e);
        }
    }

    /**
     * The answer's text with the provider's own ids left out: its reference for the operation and its id of
     * the request. A digit-only id (WeChat Pay's 13-digit {@code application_no}, a stub's
     * {@code req_00000000000034}) passes the Luhn check one time in ten and would read as a card number, yet
     * it is the provider's, not a number of the merchant's.
     */
    private static String withoutTheProvidersIds(Object answer) {
        String text = String.valueOf(answer);
        Object outcome = answer instanceof Optional<?> found ? found.orElse(null) : answer;
        if (!(outcome instanceof OperationOutcome operationOutcome)) {
            return text;
        }
        List<String> ids = new ArrayList<>();
        referenceOf(operationOutcome).ifPresent(ids::add);
        if (operationOutcome instanceof OperationOutcome.Rejected rejected) {
            rejected.requestId().ifPresent(ids::add);
        }
        if (operationOutcome instanceof OperationOutcome.RetryableFailure failure) {
            failure.requestId().ifPresent(ids::add);
        }
        for (String id : ids) {
            if (!id.isBlank()) {
                text = text.replace(id, "<the provider's id>");
            }
        }
        return text;
    }

    /** The adapter's note from {@code prepare} is stored in the case and shown with its history. */
    static void scanNote(SecretScan scan, ProbeOperation operation) {
        operation.persisted().adapterNote().ifPresent(note -> scan.scan("the adapter's note from prepare", note));
    }
}
