package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.posunbind.spi.API;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Terminal;
import io.posunbind.validation.TerminalSerialNumberValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract every provider adapter must meet, as JUnit 5 tests. Extend it in your adapter's tests,
 * hand it a factory of providers and a handle on the fake backend they talk to, and run it with the rest
 * of your tests:
 *
 * <pre>{@code
 * class AcmeProviderContractTest extends PaymentProviderContract {
 *
 *     private final AcmeStub stub = AcmeStub.start();          // your HTTP stub of Acme's API
 *
 *     @Override
 *     protected PaymentProvider newProvider() {                // a fresh instance, as a new process builds it
 *         return new AcmeProvider(stub.baseUrl(), "sk_test_123");
 *     }
 *
 *     @Override
 *     protected BackendFaults backend() {                      // seeds, faults and effects, on the stub
 *         return stub;
 *     }
 *
 *     @Override
 *     protected Set<String> secrets() {                        // must never appear in anything the adapter lets out
 *         return Set.of("sk_test_123");
 *     }
 * }
 * }</pre>
 *
 * <p>JUnit creates one instance per check, so fields such as the stub above are fresh for every check.
 * A check that needs something the provider or the fake does not offer (no device adapter, a fault the
 * stub cannot produce, no asynchronous answers) is skipped with a reason, never passed silently.
 *
 * <p>The checks use the device adapter: they read terminals and send the {@link #probe()} operation, with
 * the context and lookup reference the engine would build from what it persisted before the call.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public abstract class PaymentProviderContract {

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

    /** The mutating device operation the checks send; the default disables the terminal. */
    protected Probe probe() {
        return Probe.DISABLE_TERMINAL;
    }

    /** How many threads the concurrency check runs at once. */
    protected int concurrency() {
        return 8;
    }

    /** The class loader whose {@link ServiceLoader} must find the provider; the test class's by default. */
    protected ClassLoader serviceClassLoader() {
        return getClass().getClassLoader();
    }

    /**
     * readTerminal of a serial the backend does not know throws TERMINAL_NOT_FOUND, which the engine reports to the
     * operator.
     */
    @Test
    public void readingAnUnknownSerialIsTerminalNotFound() {
        DeviceUnbindAdapter device = device(newProvider());
        String unknown = backend().unknownSerial();
        try {
            Terminal terminal = device.readTerminal(unknown);
            fail("readTerminal of an unknown serial answered " + terminal.serialNumber()
                    + "; throw a ProviderException with TERMINAL_NOT_FOUND");
        } catch (ProviderException e) {
            assertEquals(StandardErrorCode.TERMINAL_NOT_FOUND, e.errorCode(),
                    "readTerminal of an unknown serial must throw TERMINAL_NOT_FOUND, threw " + e.getMessage());
        } catch (RuntimeException e) {
            fail("readTerminal of an unknown serial must throw a ProviderException with TERMINAL_NOT_FOUND, threw "
                    + e.getClass().getName(), e);
        }
    }

    /** A 500, 429, connection reset, timeout or slow answer is answered with an outcome, never thrown. */
    @Test
    public void mutatingCallsAnswerInsteadOfThrowingForHttpErrors() {
        DeviceUnbindAdapter device = device(newProvider());
        List<String> problems = new ArrayList<>();
        List<Fault> tried = new ArrayList<>();
        for (Fault fault : List.of(Fault.serverError(), Fault.rateLimited(Duration.ofSeconds(30)),
                Fault.connectionReset(), Fault.timeout(), Fault.slowAnswer(Duration.ofSeconds(2)))) {
            ProbeOperation operation = newOperation(backend().seedTerminal());
            if (!inject(operation, fault)) {
                continue;
            }
            tried.add(fault);
            try {
                OperationOutcome outcome = send(device, operation, 1);
                if (!allowedAnswerTo(fault, outcome)) {
                    problems.add(fault.kind() + " was answered " + outcome.getClass().getSimpleName()
                            + "; expected " + expectedAnswerTo(fault));
                }
            } catch (RuntimeException e) {
                problems.add(fault.kind() + " threw " + e + "; answer " + expectedAnswerTo(fault) + " instead");
            }
        }
        assumeTrue(!tried.isEmpty(), "the fake backend produces none of the faults (failNext refused them all)");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** A 429 is a RetryableFailure carrying the provider's Retry-After, and performs nothing. */
    @Test
    public void rateLimitingIsRetryableAfterTheProvidersRetryAfter() {
        DeviceUnbindAdapter device = device(newProvider());
        ProbeOperation operation = newOperation(backend().seedTerminal());
        Duration retryAfter = Duration.ofSeconds(42);
        requireFault(operation, Fault.rateLimited(retryAfter));
        OperationOutcome outcome = sendWithoutThrowing(device, operation, 1, "a 429");
        OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class,
                outcome, "a 429 must answer RetryableFailure");
        assertEquals(Optional.of(retryAfter), failure.retryAfter(),
                "a 429 must carry the provider's Retry-After as retryAfter");
        assertEquals(0, backend().effectsUnder(operation.key()), "a 429 performs nothing");
    }

    /**
     * A request that took effect but whose answer was lost is Unknown: the engine must look it up, not resend
     * blindly.
     */
    @Test
    public void aTimeoutIsUnknown() {
        DeviceUnbindAdapter device = device(newProvider());
        ProbeOperation operation = newOperation(backend().seedTerminal());
        requireFault(operation, Fault.timeout());
        OperationOutcome outcome = sendWithoutThrowing(device, operation, 1, "a timeout");
        assertInstanceOf(OperationOutcome.Unknown.class, outcome,
                "a timeout must answer Unknown: the request may have taken effect");
    }

    /**
     * After an Unknown, lookup finds the operation from what the engine persisted before the call alone (the
     * {@code SentOperation} with the adapter's note), also in a fresh provider instance (a restarted process).
     */
    @Test
    public void lookupAfterUnknownWorksFromWhatTheEnginePersistedAlone() {
        PaymentProvider sender = newProvider();
        ProbeOperation operation = newOperation(backend().seedTerminal());
        requireFault(operation, Fault.timeout());
        try {
            send(device(sender), operation, 1);
        } catch (RuntimeException e) {
            // aTimeoutIsUnknown reports the throw; here only the lookup counts.
        }
        assertEquals(1, backend().effectsUnder(operation.key()), "the timed-out request took effect at the backend");
        Optional<OperationOutcome> sameInstance = device(sender).lookup(operation.persisted());
        assertTrue(sameInstance.filter(PaymentProviderContract::tookOrIsTakingEffect).isPresent(),
                "lookup after a timeout must find the operation (Done or Pending), found " + sameInstance);
        Optional<OperationOutcome> freshInstance = device(newProvider()).lookup(operation.persisted());
        assertTrue(freshInstance.filter(PaymentProviderContract::tookOrIsTakingEffect).isPresent(),
                "lookup from a fresh provider instance (a restarted process) must find the operation from the key"
                        + " and kind alone, found " + freshInstance);
    }

    /** A key never sent, or lost before it arrived, looks up as empty, so the engine sends it. */
    @Test
    public void lookupOfANeverSentKeyIsEmpty() {
        ProbeOperation neverSent = newOperation(backend().seedTerminal());
        Optional<OperationOutcome> found = device(newProvider()).lookup(neverSent.persisted());
        assertEquals(Optional.empty(), found, "a key never sent must look up as empty, so the engine sends it");
        ProbeOperation lost = newOperation(backend().seedTerminal());
        if (inject(lost, Fault.connectionReset())) {
            PaymentProvider provider = newProvider();
            try {
                send(device(provider), lost, 1);
            } catch (RuntimeException e) {
                // mutatingCallsAnswerInsteadOfThrowingForHttpErrors reports the throw.
            }
            assertEquals(Optional.empty(), device(newProvider()).lookup(lost.persisted()),
                    "a request lost before it reached the backend must look up as empty");
        }
    }

    /** The same key sent twice, also after a timeout and from a fresh instance, takes effect once. */
    @Test
    public void oneKeyIsOneEffect() {
        DeviceUnbindAdapter device = device(newProvider());
        ProbeOperation operation = newOperation(backend().seedTerminal());
        OperationOutcome first = sendWithoutThrowing(device, operation, 1, "the first request");
        OperationOutcome second = sendWithoutThrowing(device, operation, 2, "the same request again");
        assertEquals(1, backend().effectsUnder(operation.key()),
                "the same key sent twice must take effect once; first " + first + ", then " + second);
        assertEquals(first.getClass(), second.getClass(), "the same key sent again must answer as the first time");
        ProbeOperation timedOut = newOperation(backend().seedTerminal());
        if (inject(timedOut, Fault.timeout())) {
            DeviceUnbindAdapter fresh = device(newProvider());
            try {
                send(fresh, timedOut, 1);
            } catch (RuntimeException e) {
                // aTimeoutIsUnknown reports the throw.
            }
            sendWithoutThrowing(device(newProvider()), timedOut, 2, "a resend after a timeout");
            assertEquals(1, backend().effectsUnder(timedOut.key()),
                    "a resend after a timeout, from a fresh provider, must not take effect a second time");
        }
    }

    /**
     * An asynchronous acceptance is Pending with a reference that stays the same until it resolves, then looks up as
     * Done every time.
     */
    @Test
    public void pendingResolvesWithAStableReference() {
        DeviceUnbindAdapter device = device(newProvider());
        ProbeOperation operation = newOperation(backend().seedTerminal());
        try {
            backend().holdNextAsPending(operation.kind());
        } catch (UnsupportedOperationException e) {
            abort("the fake backend cannot answer asynchronously: implement BackendFaults.holdNextAsPending"
                    + " and completePending to run this check");
        }
        OperationOutcome outcome = sendWithoutThrowing(device, operation, 1, "an accepted asynchronous request");
        OperationOutcome.Pending pending = assertInstanceOf(OperationOutcome.Pending.class, outcome,
                "a request the backend accepted asynchronously must answer Pending");
        for (PaymentProvider asker : List.of(newProvider(), newProvider())) {
            Optional<OperationOutcome> polled = device(asker).lookup(operation.persisted(pending.providerReference()));
            assertEquals(Optional.of(pending.providerReference()),
                    polled.filter(OperationOutcome.Pending.class::isInstance)
                            .map(p -> ((OperationOutcome.Pending) p).providerReference()),
                    "polling a pending operation must answer Pending with the same reference, answered " + polled);
        }
        backend().completePending();
        Optional<OperationOutcome> resolved = device(newProvider())
                .lookup(operation.persisted(pending.providerReference()));
        assertInstanceOf(OperationOutcome.Done.class, resolved.orElse(null),
                "once the backend finished it, the pending operation must look up as Done");
        assertEquals(resolved, device(newProvider()).lookup(operation.persisted(pending.providerReference())),
                "a finished operation must look up the same way every time");
        assertEquals(1, backend().effectsUnder(operation.key()), "the pending operation took effect once");
    }

    /**
     * A business refusal is Rejected with a code and provider code that do not vary with the request, and stays
     * refused under its key.
     */
    @Test
    public void aRejectedCarriesAStableCode() {
        DeviceUnbindAdapter device = device(newProvider());
        List<OperationOutcome.Rejected> refusals = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String serial;
            try {
                serial = backend().seedTerminalThatRefuses();
            } catch (UnsupportedOperationException e) {
                abort("the fake backend cannot refuse: implement BackendFaults.seedTerminalThatRefuses"
                        + " to run this check");
                return;
            }
            serials.add(serial);
            ProbeOperation operation = newOperation(serial);
            OperationOutcome outcome = sendWithoutThrowing(device, operation, 1, "a refusal");
            refusals.add(assertInstanceOf(OperationOutcome.Rejected.class, outcome,
                    "a business refusal must answer Rejected"));
            assertEquals(outcome, sendWithoutThrowing(device, operation, 2, "a refusal sent again"),
                    "a refused request sent again under its key must be refused the same way");
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
            String serial = serials.get(i);
            assertTrue(!refusal.code().code().contains(serial) && !refusal.providerCode().contains(serial),
                    "codes are stable identifiers: keep the serial in the message, not in the code");
        }
    }

    /** No declared secret, card, account, identity or mobile number in an exception, a toString() or an export. */
    @Test
    public void noSecretInExceptionsToStringOrExport() {
        SecretScan scan = new SecretScan(secrets());
        PaymentProvider provider = newProvider();
        scan.scan("provider.toString()", provider.toString());
        provider.deviceAdapter().ifPresent(a -> scan.scan("deviceAdapter().toString()", a.toString()));
        provider.accountAdapter().ifPresent(a -> scan.scan("accountAdapter().toString()", a.toString()));
        provider.merchantInfoAdapter().ifPresent(a -> scan.scan("merchantInfoAdapter().toString()", a.toString()));
        provider.applicationAdapter().ifPresent(a -> scan.scan("applicationAdapter().toString()", a.toString()));
        provider.callbackParser().ifPresent(a -> scan.scan("callbackParser().toString()", a.toString()));
        DeviceUnbindAdapter device = device(provider);
        String serial = backend().seedTerminal();
        scanCall(scan, "readTerminal(unknown serial)", () -> device.readTerminal(backend().unknownSerial()));
        scanCall(scan, "readTerminal", () -> device.readTerminal(serial));
        scanCall(scan, "exportTerminalData", () -> device.exportTerminalData(serial));
        for (Fault fault : List.of(Fault.serverError(), Fault.timeout(), Fault.connectionReset())) {
            ProbeOperation operation = newOperation(backend().seedTerminal());
            if (inject(operation, fault)) {
                scanCall(scan, probe() + " under " + fault.kind(), () -> send(device, operation, 1));
                scanCall(scan, "lookup after " + fault.kind(), () -> device.lookup(operation.persisted()));
            }
        }
        List<String> findings = scan.findings();
        assertTrue(findings.isEmpty(), "secrets let out:\n" + String.join("\n", findings));
    }

    /**
     * The declared serial pattern (or the engine's default) accepts the backend's serials, and readTerminal answers
     * the terminal asked for.
     */
    @Test
    public void theSerialPatternAgreesWithReadTerminal() {
        PaymentProvider provider = newProvider();
        DeviceUnbindAdapter device = device(provider);
        Pattern pattern = provider.terminalSerialPattern().orElse(TerminalSerialNumberValidator.defaultPattern());
        String declared = provider.terminalSerialPattern().isPresent() ? "the provider's serial pattern "
                : "the engine's default serial pattern (the provider declares none) ";
        String serial = backend().seedTerminal();
        assertTrue(pattern.matcher(serial).matches(), declared + pattern + " refuses the backend's own serial " + serial
                + ": the engine would never send it");
        String unknown = backend().unknownSerial();
        assertTrue(pattern.matcher(unknown).matches(), declared + pattern + " refuses the unknown serial " + unknown
                + "; BackendFaults.unknownSerial must have the provider's shape");
        assertEquals(serial, device.readTerminal(serial).serialNumber(),
                "readTerminal must answer the terminal asked for");
    }

    /**
     * ServiceLoader finds exactly one registration under the id: a provider of the class under test, or a
     * factory of that id (SPI 2.0), whose provider is of that class when it can be created without settings.
     */
    @Test
    public void theProviderIsRegisteredForServiceLoaderUnderItsId() {
        PaymentProvider expected = newProvider();
        List<String> found = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (ServiceLoader.Provider<PaymentProvider> candidate
                : ServiceLoader.load(PaymentProvider.class, serviceClassLoader()).stream().toList()) {
            try {
                PaymentProvider loaded = candidate.get();
                if (loaded.id().equals(expected.id())) {
                    found.add(loaded.getClass().getName());
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                broken.add(candidate.type().getName() + ": " + e);
            }
        }
        for (ServiceLoader.Provider<PaymentProviderFactory> candidate
                : ServiceLoader.load(PaymentProviderFactory.class, serviceClassLoader()).stream().toList()) {
            try {
                PaymentProviderFactory factory = candidate.get();
                if (factory.id().equals(expected.id())) {
                    found.add(createdClass(factory).orElse(expected.getClass().getName()));
                }
            } catch (ServiceConfigurationError | RuntimeException e) {
                broken.add(candidate.type().getName() + ": " + e);
            }
        }
        assertEquals(1, found.size(), "ServiceLoader must find exactly one provider or provider factory with id "
                + expected.id() + " (register it in META-INF/services/io.posunbind.spi.PaymentProviderFactory, or"
                + " io.posunbind.spi.PaymentProvider, and with provides in module-info); found " + found
                + (broken.isEmpty() ? "" : ", could not load " + broken));
        assertEquals(expected.getClass().getName(), found.get(0),
                "the provider registered under id " + expected.id() + " is another class");
        assertEquals(expected.id(), expected.id().toLowerCase(Locale.ROOT), "a provider id is lower case");
    }

    /** The class of the provider a factory creates without settings; empty when it needs settings. */
    private static Optional<String> createdClass(PaymentProviderFactory factory) {
        try (PaymentProvider created = factory.create(ProviderSettings.empty())) {
            return Optional.of(created.getClass().getName());
        } catch (InvalidSettingException e) {
            return Optional.empty(); // needs the host's settings: the id is what can be checked
        }
    }

    /** Creating a provider and asking what it supports sends nothing to the backend. */
    @Test
    public void constructionDoesNoNetworkWork() {
        int before = backend().requestsReceived();
        for (int i = 0; i < 3; i++) {
            PaymentProvider provider = newProvider();
            provider.id();
            provider.displayName();
            provider.capabilities();
            provider.terminalSerialPattern();
            provider.honoursIdempotencyKeys();
        }
        assertEquals(before, backend().requestsReceived(),
                "creating a provider and asking what it supports must not call the backend: the engine loads"
                        + " every provider at start, also when the backend is down");
    }

    /** Concurrent calls on one provider with distinct keys each take effect exactly once. */
    @Test
    public void callsAreThreadSafeUnderConcurrency() throws InterruptedException {
        DeviceUnbindAdapter device = device(newProvider());
        int threads = concurrency();
        List<ProbeOperation> operations = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            operations.add(newOperation(backend().seedTerminal()));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<String> problems = new ArrayList<>();
        try {
            List<Future<OperationOutcome>> answers = new ArrayList<>();
            for (ProbeOperation operation : operations) {
                answers.add(executor.submit(() -> {
                    start.await();
                    return send(device, operation, 1);
                }));
            }
            start.countDown();
            for (int i = 0; i < threads; i++) {
                try {
                    answers.get(i).get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    problems.add("call " + i + " threw " + e.getCause());
                } catch (TimeoutException e) {
                    problems.add("call " + i + " did not answer within 60 s");
                }
            }
        } finally {
            executor.shutdownNow();
        }
        for (ProbeOperation operation : operations) {
            int effects = backend().effectsUnder(operation.key());
            if (effects != 1) {
                problems.add(operation.serialNumber() + " under its own key took effect " + effects + " times");
            }
        }
        assertTrue(problems.isEmpty(), threads + " concurrent calls with distinct keys on one provider:\n"
                + String.join("\n", problems));
    }

    // ------------------------------------------------------------------------------------------------

    private DeviceUnbindAdapter device(PaymentProvider provider) {
        Optional<DeviceUnbindAdapter> device = provider.deviceAdapter();
        assumeTrue(device.isPresent(), "the provider has no device adapter; the contract's checks use it");
        return device.get();
    }

    private ProbeOperation newOperation(String serialNumber) {
        int n = sequence.incrementAndGet();
        return new ProbeOperation(new IdempotencyKey("testkit-" + run + "-" + n), probe().kind(),
                "testkit-case-" + run.substring(0, 8) + "-" + n, backend().merchantOf(serialNumber), serialNumber,
                Instant.now());
    }

    private OperationOutcome send(DeviceUnbindAdapter device, ProbeOperation operation, int attempt) {
        operation.prepareOnce(device);
        return probe().send(device, operation.context(attempt), operation.serialNumber());
    }

    private OperationOutcome sendWithoutThrowing(DeviceUnbindAdapter device, ProbeOperation operation, int attempt,
            String what) {
        try {
            return send(device, operation, attempt);
        } catch (RuntimeException e) {
            return fail(what + " made " + probe() + " throw; a mutating call answers an OperationOutcome", e);
        }
    }

    /** Injects the fault for the operation's kind; false when the fake backend cannot produce it. */
    private boolean inject(ProbeOperation operation, Fault fault) {
        try {
            backend().failNext(operation.kind(), fault);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private void requireFault(ProbeOperation operation, Fault fault) {
        if (!inject(operation, fault)) {
            abort("the fake backend cannot produce " + fault.kind() + " (BackendFaults.failNext refused it)");
        }
    }

    private static void scanCall(SecretScan scan, String where, Supplier<?> call) {
        try {
            Object answer = call.get();
            scan.scan(where, String.valueOf(answer));
        } catch (RuntimeException e) {
            scan.scan(where, e);
        }
    }

    private static boolean tookOrIsTakingEffect(OperationOutcome outcome) {
        return outcome instanceof OperationOutcome.Done || outcome instanceof OperationOutcome.Pending;
    }

    private static boolean allowedAnswerTo(Fault fault, OperationOutcome outcome) {
        return switch (fault.kind()) {
            case SERVER_ERROR, CONNECTION_RESET -> outcome instanceof OperationOutcome.RetryableFailure
                    || outcome instanceof OperationOutcome.Unknown;
            case RATE_LIMITED -> outcome instanceof OperationOutcome.RetryableFailure;
            case TIMEOUT -> outcome instanceof OperationOutcome.Unknown;
            case SLOW_ANSWER -> outcome instanceof OperationOutcome.Done || outcome instanceof OperationOutcome.Pending
                    || outcome instanceof OperationOutcome.Unknown;
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
