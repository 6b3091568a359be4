package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import java.time.Instant;
import java.util.Objects;

/**
 * One effect the sandbox performed: a mutating request it accepted and acted on. Rejections, transient
 * failures, lost calls and replays of an earlier answer leave no effect, so a test proves exactly-once
 * behaviour by counting these (see {@link SandboxRequests#effectCount(IdempotencyKey)}).
 *
 * <p>An asynchronous operation (account unbind, application) counts once, when it is accepted for
 * review; its later completion is not a second effect.
 *
 * @param idempotencyKey    the key the request carried
 * @param kind              what the request did
 * @param providerReference the sandbox's reference for it
 * @param performedAt       when, on the sandbox clock
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record SandboxEffect(IdempotencyKey idempotencyKey, OperationKind kind, String providerReference,
        Instant performedAt) {

    /** Checks the fields. */
    public SandboxEffect {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(performedAt, "performedAt");
    }
}
