package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.posunbind.spi.API;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Terminal;
import io.posunbind.validation.TerminalSerialNumberValidator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The device part of {@link PaymentProviderContract}: terminals read and the {@link #probe()} operation
 * sent through the device adapter. Every check runs when the provider declares
 * {@link ProviderCapability#DEVICE_UNBIND} and is skipped with that reason otherwise; nothing seeds a
 * terminal for a provider without device binding.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public abstract class DeviceContract extends ContractBase {

    /** Only {@link PaymentProviderContract} extends it, in this package: extend that. */
    DeviceContract() {
    }

    /**
     * readTerminal of a serial the backend does not know throws TERMINAL_NOT_FOUND, which the engine reports to the
     * operator.
     */
    @Test
    public void readingAnUnknownSerialIsTerminalNotFound() {
        DeviceUnbindAdapter device = device(newProvider());
        String unknown = unknownSerial();
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
        new OutcomeChecks(this, deviceBinding()).httpErrorsAreAnswered();
    }

    /** A 429 is a RetryableFailure carrying the provider's Retry-After, and performs nothing. */
    @Test
    public void rateLimitingIsRetryableAfterTheProvidersRetryAfter() {
        new OutcomeChecks(this, deviceBinding()).rateLimitingWaitsForRetryAfter();
    }

    /**
     * A request that took effect but whose answer was lost is Unknown: the engine must look it up, not resend
     * blindly.
     */
    @Test
    public void aTimeoutIsUnknown() {
        new OutcomeChecks(this, deviceBinding()).timeoutIsUnknown();
    }

    /**
     * After an Unknown, lookup finds the operation from what the engine persisted before the call alone (the
     * {@code SentOperation} with the adapter's note), also in a fresh provider instance (a restarted process).
     * At a provider that honours no key and finds nothing, the engine's resend must not be a second effect.
     */
    @Test
    public void lookupAfterUnknownWorksFromWhatTheEnginePersistedAlone() {
        new LookupChecks(this, deviceBinding()).lookupAfterUnknownFindsTheEffect();
    }

    /** A key never sent, or lost before it arrived, looks up as empty, so the engine sends it. */
    @Test
    public void lookupOfANeverSentKeyIsEmpty() {
        new LookupChecks(this, deviceBinding()).lookupOfANeverSentKeyIsEmpty();
    }

    /**
     * The same key sent twice, also after a timeout and from a fresh instance, takes effect once, when the
     * provider claims to honour keys. A provider that does not ({@code honoursIdempotencyKeys()} false) is never
     * sent a key twice without a lookup first, so for it the check is that lookup after an effect finds it. A
     * provider that remembers keys for a while ({@code idempotencyKeyRetention()}) must do both.
     */
    @Test
    public void oneKeyIsOneEffect() {
        new LookupChecks(this, deviceBinding()).oneKeyIsOneEffect();
    }

    /**
     * An asynchronous acceptance is Pending with a reference that stays the same until it resolves, then looks up as
     * Done every time.
     */
    @Test
    public void pendingResolvesWithAStableReference() {
        new OutcomeChecks(this, deviceBinding()).pendingKeepsItsReference();
    }

    /**
     * A business refusal is Rejected with a code and provider code that do not vary with the request, and stays
     * refused under its key. The request id and the message may differ from call to call (an adapter takes
     * the id from the provider's per-request header).
     */
    @Test
    public void aRejectedCarriesAStableCode() {
        new OutcomeChecks(this, deviceBinding()).rejectedKeepsItsCodes();
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
        String serial = deviceBinding().seed(backend());
        assertTrue(pattern.matcher(serial).matches(), declared + pattern + " refuses the backend's own serial " + serial
                + ": the engine would never send it");
        String unknown = unknownSerial();
        assertTrue(pattern.matcher(unknown).matches(), declared + pattern + " refuses the unknown serial " + unknown
                + "; BackendFaults.unknownSerial must have the provider's shape");
        assertEquals(serial, device.readTerminal(serial).serialNumber(),
                "readTerminal must answer the terminal asked for");
    }

    /**
     * Concurrent calls on one provider with distinct keys each take effect exactly once; for a provider that does
     * not honour keys, each at least once and found by its own lookup (the engine looks up before a resend).
     */
    @Test
    public void callsAreThreadSafeUnderConcurrency() throws InterruptedException {
        new LookupChecks(this, deviceBinding()).callsAreThreadSafe();
    }

    /** Scans what the device adapter lets out: reads, the export, and the probe's answers. */
    final void scanDevice(SecretScan scan, PaymentProvider provider) {
        if (!provider.capabilities().contains(ProviderCapability.DEVICE_UNBIND)) {
            return;
        }
        DeviceUnbindAdapter device = device(provider);
        String serial = deviceBinding().seed(backend());
        scanCall(scan, "readTerminal(unknown serial)", () -> device.readTerminal(unknownSerial()));
        scanCall(scan, "readTerminal", () -> device.readTerminal(serial));
        scanCall(scan, "exportTerminalData", () -> device.exportTerminalData(serial));
        if (deviceBinding().kind(provider).isPresent()) {
            new OutcomeChecks(this, deviceBinding()).scanCalls(scan, provider);
        }
    }

    /** The device adapter of a provider that declares device binding; the check is skipped otherwise. */
    private DeviceUnbindAdapter device(PaymentProvider provider) {
        Binding binding = deviceBinding();
        if (!provider.capabilities().contains(binding.capability())) {
            abort("the provider does not declare " + binding.capability() + " (capabilities()): the device checks"
                    + " do not apply");
        }
        return binding.adapter(provider).map(DeviceUnbindAdapter.class::cast).orElseGet(() -> fail(
                "the provider declares " + binding.capability() + " but returns no device adapter"));
    }

    private String unknownSerial() {
        try {
            return backend().unknownSerial();
        } catch (UnsupportedOperationException e) {
            return abort("the fake backend cannot name an unknown terminal: implement BackendFaults.unknownSerial"
                    + " to run this check");
        }
    }
}
