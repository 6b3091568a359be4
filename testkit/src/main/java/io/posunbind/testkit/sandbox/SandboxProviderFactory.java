package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates the in-process {@link SandboxProvider}; registered with {@link java.util.ServiceLoader}, so an
 * unbinder that discovers providers finds the sandbox without configuration. Settings, all optional:
 * <ul>
 *   <li>{@code backend}: {@code shared} (the default) for the process-wide {@link SandboxBackend#shared()},
 *       or {@code fresh} for a new backend seeded with {@link SandboxDemoData};</li>
 *   <li>{@code state-dir}: a folder where the backend keeps its state across restarts
 *       ({@link SandboxBackend#persistentIn(Path)}), seeded with {@link SandboxDemoData} on its first start;
 *       it takes the place of {@code backend};</li>
 *   <li>{@code honours-idempotency-keys}: {@code false} makes that backend ignore idempotency keys
 *       ({@link SandboxRequests#setHonoursIdempotencyKeys(boolean)}).</li>
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
        Optional<String> stateDir = settings.optionalString("state-dir");
        SandboxBackend backend = stateDir.isPresent() ? persistent(Path.of(stateDir.get()))
                : switch (settings.optionalString("backend").orElse("shared")) {
            case "shared" -> SandboxBackend.shared();
            case "fresh" -> SandboxDemoData.seed(new SandboxBackend());
            default -> throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "backend",
                    "The provider setting 'backend' must be shared or fresh");
        };
        if (settings.has("honours-idempotency-keys")) {
            backend.requests().setHonoursIdempotencyKeys(settings.bool("honours-idempotency-keys"));
        }
        return new SandboxProvider(backend);
    }

    /** A backend kept in the folder, seeded with the demo data the first time only. */
    private static SandboxBackend persistent(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidSettingException(SettingErrorCode.SETTING_INVALID, "state-dir",
                    "The provider setting 'state-dir' must name an existing folder");
        }
        boolean firstStart = !Files.exists(folder.resolve(StateFile.FILE_NAME));
        SandboxBackend backend = SandboxBackend.persistentIn(folder);
        return firstStart ? SandboxDemoData.seed(backend) : backend;
    }
}
