package io.posunbind.examples.remote;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;
import java.time.Duration;

/**
 * Creates a {@link RemoteSandboxProvider} from settings, as a host configures a real acquirer's adapter:
 * <ul>
 *   <li>{@code base-uri} (required): the sandbox server's URL, {@code http://127.0.0.1:41234};</li>
 *   <li>{@code timeout} (optional, {@code 2s}): how long one call may take;</li>
 *   <li>{@code honours-idempotency-keys} (optional, {@code true}): {@code false} for a server whose
 *       sandbox ignores keys;</li>
 *   <li>{@code api-key} (optional secret): sent as a bearer token with every call.</li>
 * </ul>
 * Not registered in {@code META-INF/services}: the in-process sandbox's factory has the same id, so give
 * this one to {@code Unbinder.builder().providerFactory(...)}. Stateless and thread-safe.
 */
public final class RemoteSandboxProviderFactory implements PaymentProviderFactory {

    @Override
    public String id() {
        return RemoteSandboxProvider.ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public PaymentProvider create(ProviderSettings settings) {
        Duration timeout = settings.duration("timeout", RemoteSandboxProvider.DEFAULT_TIMEOUT);
        if (timeout.isZero()) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID,
                    "timeout", "The provider setting 'timeout' must be longer than zero");
        }
        return new RemoteSandboxProvider(settings.uri("base-uri"), timeout,
                settings.bool("honours-idempotency-keys", true), settings.optionalSecret("api-key"));
    }
}
