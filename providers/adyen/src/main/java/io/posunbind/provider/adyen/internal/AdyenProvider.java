package io.posunbind.provider.adyen.internal;

import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.DocumentChecklist;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Adyen through its Management API: device binding only. Account and merchant-info bindings are not
 * offered: the Management API changes neither a merchant account's payout (settlement) account nor its legal
 * details, which Adyen keeps under its own KYC review (Legal Entity Management and Balance Platform APIs, or
 * Adyen's support). Thread-safe; creating it does no network work.
 */
public final class AdyenProvider implements PaymentProvider {

    /** Adyen keeps an idempotency key for at least 31 days after its first use (API idempotency page). */
    static final Duration KEY_RETENTION = Duration.ofDays(31);

    private final AdyenSettings settings;
    private final AdyenDeviceAdapter device;
    private final AdyenWebhookParser webhooks;

    /** A provider with these settings. */
    public AdyenProvider(AdyenSettings settings) {
        this.settings = settings;
        this.device = new AdyenDeviceAdapter(new ManagementApi(settings), settings);
        this.webhooks = new AdyenWebhookParser(settings.webhookHmacKeys());
    }

    @Override
    public String id() {
        return "adyen";
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String displayName() {
        return "Adyen (Management API)";
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.of(device);
    }

    @Override
    public Optional<CallbackParser> callbackParser() {
        return Optional.of(webhooks);
    }

    /** Only the reassignment: the API can neither disable nor decommission a terminal, and has no peripherals. */
    @Override
    public Set<OperationKind> supportedOperations() {
        return Set.of(OperationKind.UNBIND_TERMINAL);
    }

    /** Adyen performs a POST once per {@code Idempotency-Key} and answers a repeat with the first answer. */
    @Override
    public boolean honoursIdempotencyKeys() {
        return true;
    }

    @Override
    public Optional<Duration> idempotencyKeyRetention() {
        return Optional.of(KEY_RETENTION);
    }

    /** The environment's assumed limits, or the host's {@code calls-per-second} and {@code concurrent-calls}. */
    @Override
    public ProviderLimits callLimits() {
        return settings.callLimits();
    }

    /**
     * A reassignment needs no institution's decision: Adyen is the acquirer, and the API credential's
     * "Assign Terminal" role is its authorisation.
     */
    @Override
    public InstitutionApproval institutionApproval() {
        return InstitutionApproval.NOT_NEEDED;
    }

    /** Adyen's merchants are anywhere: the international checklist, not the Chinese one. */
    @Override
    public DocumentChecklist documentChecklist() {
        return DocumentChecklist.international();
    }

    @Override
    public String toString() {
        return "AdyenProvider[" + settings + "]";
    }
}
