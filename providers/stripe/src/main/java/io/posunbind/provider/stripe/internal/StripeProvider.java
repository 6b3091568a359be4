package io.posunbind.provider.stripe.internal;

import io.posunbind.provider.stripe.StripeProviderFactory;
import io.posunbind.provider.stripe.StripeSettings;
import io.posunbind.spi.API;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.model.DocumentChecklist;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Stripe Terminal as a posunbind provider: device binding only. The account binding (the settlement
 * account is the Stripe account's payout bank account, not the reader's) and the merchant-info binding
 * (the Stripe account itself) are not bound to a reader, so this provider offers neither adapter, and
 * offers only the unbind of a terminal (the reader's delete): disable, decommission and peripherals do
 * not exist at Stripe.
 *
 * <p>Stripe remembers an idempotency key for 24 hours. Stripe needs no institution's approval to delete
 * a reader. Thread-safe; creating it opens no connection.
 */
@API(status = API.Status.INTERNAL, since = "2.0")
public final class StripeProvider implements PaymentProvider {

    /** How long Stripe keeps an idempotency key and its answer: at least 24 hours, then it may prune it. */
    static final Duration KEY_RETENTION = Duration.ofHours(24);

    private final StripeDeviceAdapter device;
    private final Optional<CallbackParser> webhooks;
    private final String account;
    private final ProviderLimits callLimits;

    public StripeProvider(StripeSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        this.device = new StripeDeviceAdapter(new StripeTerminalApi(new StripeConnection(settings)),
                settings.merchantNumberMetadataKey());
        this.webhooks = settings.verifiesWebhooks()
                ? Optional.of(new StripeWebhooks(settings.webhookSecrets(), settings.webhookTolerance(), clock))
                : Optional.empty();
        this.account = settings.account().orElse("platform");
        this.callLimits = settings.callLimits();
    }

    @Override
    public String id() {
        return StripeProviderFactory.ID;
    }

    @Override
    public String displayName() {
        return "Stripe Terminal";
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.of(device);
    }

    @Override
    public Optional<CallbackParser> callbackParser() {
        return webhooks;
    }

    @Override
    public Set<OperationKind> supportedOperations() {
        return Set.of(OperationKind.UNBIND_TERMINAL);
    }

    @Override
    public boolean honoursIdempotencyKeys() {
        return true;
    }

    @Override
    public Optional<Duration> idempotencyKeyRetention() {
        return Optional.of(KEY_RETENTION);
    }

    /** Stripe's documented limits for the key's mode, or the host's {@code calls-per-second}, {@code concurrent-calls}. */
    @Override
    public ProviderLimits callLimits() {
        return callLimits;
    }

    @Override
    public InstitutionApproval institutionApproval() {
        return InstitutionApproval.NOT_NEEDED;
    }

    @Override
    public DocumentChecklist documentChecklist() {
        return DocumentChecklist.international();
    }

    @Override
    public String toString() {
        return "StripeProvider[account=" + account + ", webhooks=" + webhooks.isPresent() + "]";
    }
}
