package io.posunbind.provider.adyen;

import io.posunbind.provider.adyen.internal.AdyenProvider;
import io.posunbind.provider.adyen.internal.AdyenSettings;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SpiVersion;

/**
 * Creates the Adyen provider (id {@code "adyen"}) from the host's settings. Registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/io.posunbind.spi.PaymentProviderFactory}.
 *
 * <p>Settings (see the module's README for the whole table):
 * <ul>
 *   <li>{@code api-key} (required, a secret): the API credential's key, sent as {@code x-API-Key};</li>
 *   <li>{@code base-uri}: the Management API's base, {@code https://management-test.adyen.com/v3} by default
 *       ({@code https://management-live.adyen.com/v3} in production);</li>
 *   <li>{@code reassign-to}: {@code merchant-inventory} (default) or {@code company-inventory};</li>
 *   <li>{@code company-id}: the company account, required with {@code company-inventory};</li>
 *   <li>{@code webhook-hmac-key} and {@code webhook-hmac-key-previous} (secrets, hexadecimal): the HMAC keys
 *       of the management webhook, both accepted during a rotation;</li>
 *   <li>{@code connect-timeout} (5s), {@code read-timeout} (30s), {@code poll-after} (5m).</li>
 * </ul>
 *
 * <pre>{@code
 * Unbinder.builder().providerSettings("adyen", Map.of(
 *         "api-key", System.getenv("ADYEN_API_KEY"),
 *         "webhook-hmac-key", System.getenv("ADYEN_WEBHOOK_HMAC_KEY")));
 * }</pre>
 *
 * <p>Stateless and thread-safe; {@link #create} does no network work.
 */
public final class AdyenProviderFactory implements PaymentProviderFactory {

    /** The provider's id. */
    public static final String ID = "adyen";

    /** For {@link java.util.ServiceLoader}. */
    public AdyenProviderFactory() {
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
        return new AdyenProvider(AdyenSettings.from(settings));
    }
}
