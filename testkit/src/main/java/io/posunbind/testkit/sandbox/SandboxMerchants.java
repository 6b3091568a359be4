package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.model.MerchantInfo;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The merchants of a {@link SandboxBackend} as the institution keeps their info, taken from
 * {@link SandboxBackend#merchants()}. Merchants are added with {@link SandboxBackend#addMerchant}.
 *
 * <p>Thread-safe: every method runs under the backend's lock. Methods other than {@link #merchant}
 * throw {@link IllegalArgumentException} for a merchant that was never added.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxMerchants {

    private final SandboxBackend backend;
    private final WorldState world;

    SandboxMerchants(SandboxBackend backend, WorldState world) {
        this.backend = backend;
        this.world = world;
    }

    /** The merchant's info, empty when unknown or deleted. */
    public Optional<MerchantInfo> merchant(String merchantNumber) {
        return backend.inspect(() -> world.merchantState(merchantNumber).map(world::merchantInfo));
    }

    /** Whether the merchant's info was deleted at the institution. */
    public boolean merchantDeleted(String merchantNumber) {
        return backend.inspect(() -> world.seededMerchant(merchantNumber).deleted);
    }

    /** The terminals registered in the merchant's info (the merchant-info binding), in the order added. */
    public Set<String> registeredTerminals(String merchantNumber) {
        return backend.inspect(() -> Collections.unmodifiableSet(
                new LinkedHashSet<>(world.seededMerchant(merchantNumber).registeredTerminals)));
    }
}
