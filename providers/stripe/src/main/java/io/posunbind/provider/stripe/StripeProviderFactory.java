package io.posunbind.provider.stripe;

import io.posunbind.provider.stripe.internal.StripeProvider;
import io.posunbind.spi.API;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SpiVersion;
import java.time.Clock;

/**
 * Creates the {@code stripe} provider: device binding on Stripe Terminal (readers and their locations),
 * on stripe-java. Registered for {@link java.util.ServiceLoader}; a host configures it with
 * {@code Unbinder.builder().providerSettings("stripe", Map.of("api-key", ..., "webhook-secret", ...))}, see
 * {@link StripeSettings} for every key. Creating the provider opens no connection.
 *
 * <p>Stateless and thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class StripeProviderFactory implements PaymentProviderFactory {

    /** The provider's id. */
    public static final String ID = "stripe";

    /** For {@link java.util.ServiceLoader}. */
    public StripeProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public PaymentProvider create(ProviderSettings settings) {
        return create(StripeSettings.from(settings), Clock.systemUTC());
    }

    /**
     * Creates the provider from settings already read, with the clock stripe-java checks a webhook's
     * signature time against when {@link StripeSettings#webhookTolerance()} is positive.
     */
    public PaymentProvider create(StripeSettings settings, Clock clock) {
        return new StripeProvider(settings, clock);
    }
}
