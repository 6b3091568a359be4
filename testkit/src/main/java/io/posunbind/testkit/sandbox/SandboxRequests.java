package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import java.util.List;
import java.util.Objects;

/**
 * The requests a {@link SandboxBackend} received and the effects they had, per idempotency key, taken from
 * {@link SandboxBackend#requests()}: how keys are honoured, what was performed, and how often.
 *
 * <pre>{@code
 * assertThat(backend.requests().effectCount(key)).isEqualTo(1);
 * }</pre>
 *
 * <p>Thread-safe: every method runs under the backend's lock.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxRequests {

    private final SandboxBackend backend;
    private final IdempotencyLedger ledger;

    SandboxRequests(SandboxBackend backend, IdempotencyLedger ledger) {
        this.backend = backend;
        this.ledger = ledger;
    }

    /**
     * Makes the sandbox behave like a provider that ignores idempotency keys (PAXSTORE's SDK sends none):
     * every request is performed again, whatever its key, while lookups still find the latest request
     * under a key. {@link SandboxProvider#honoursIdempotencyKeys()} reports the setting.
     */
    public SandboxRequests setHonoursIdempotencyKeys(boolean honours) {
        backend.change(() -> ledger.honourKeys(honours));
        return this;
    }

    /** Whether requests are deduplicated by idempotency key (the default). */
    public boolean honoursIdempotencyKeys() {
        return backend.inspect(ledger::honoursKeys);
    }

    /**
     * Forgets every request received so far, as a provider does once its key retention has passed, or as a
     * sandbox restarted without its ledger would: terminals, accounts and merchants stay as they are, but a
     * lookup by key finds nothing, and the same key is performed anew.
     */
    public SandboxRequests forgetRequests() {
        backend.change(ledger::forgetRequests);
        return this;
    }

    /** How many effects were performed under this key: 0 or 1 while keys are honoured. */
    public int effectCount(IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        return backend.inspect(() -> ledger.effectCount(key));
    }

    /** How many effects of this kind were performed, under any key. */
    public int effectsFor(OperationKind kind) {
        Objects.requireNonNull(kind, "kind");
        return backend.inspect(() -> ledger.effectsFor(kind));
    }

    /** All effects, in the order performed. */
    public List<SandboxEffect> effects() {
        return backend.inspect(ledger::effects);
    }

    /** How many requests of this kind arrived, whatever became of them (faults and replays included). */
    public int callsFor(OperationKind kind) {
        Objects.requireNonNull(kind, "kind");
        return backend.inspect(() -> ledger.callsFor(kind));
    }
}
