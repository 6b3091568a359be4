package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;

/**
 * Creates the in-process {@link SandboxProvider}; registered with {@link java.util.ServiceLoader}, so an
 * unbinder that discovers providers finds the sandbox without configuration. Settings, all optional:
 * <ul>
 *   <li>{@code backend}: {@code shared} (the default) for the process-wide {@link SandboxBackend#shared()},
 *       or {@code fresh} for a new backend seeded with {@link SandboxDemoData};</li>
 *   <li>{@code honours-idempotency-keys}: {@code false} makes that backend ignore idempotency keys
 *       ({@link SandboxBackend#setHonoursIdempotencyKeys(boolean)}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxProviderFactory implements PaymentProviderFactory {

    @Override
    public String id() {
        return SandboxProvider.ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public PaymentProvider create(ProviderSettings settings) {
        SandboxBackend backend = switch (settings.optionalString("backend").orElse("shared")) {
            case "shared" -> SandboxBackend.shared();
            case "fresh" -> SandboxDemoData.seed(new SandboxBackend());
            default -> throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "backend",
                    "The provider setting 'backend' must be shared or fresh");
        };
        if (settings.has("honours-idempotency-keys")) {
            backend.setHonoursIdempotencyKeys(settings.bool("honours-idempotency-keys"));
        }
        return new SandboxProvider(backend);
    }
}
