package io.posunbind.internal.limits;

import io.posunbind.spi.OperationKind;
import java.util.Objects;
import java.util.Optional;

/**
 * What one limiter limits: every call to a provider, or the calls that perform one operation at it. On the
 * {@link LimitBoard} each scope has rows of its own, so each limit is split among the instances that call
 * within it. Immutable.
 *
 * @param providerId the provider's id
 * @param operation  the operation whose calls are limited; empty for every call to the provider
 */
public record LimitScope(String providerId, Optional<OperationKind> operation) {

    /** What the board's {@code operation} column holds for the provider-wide scope (also schema V10's rows). */
    public static final String WHOLE_PROVIDER = "";

    /** Checks the fields. */
    public LimitScope {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(operation, "operation");
    }

    /** Every call to the provider. */
    public static LimitScope wholeProvider(String providerId) {
        return new LimitScope(providerId, Optional.empty());
    }

    /** The calls that perform {@code operation} at the provider. */
    public static LimitScope operation(String providerId, OperationKind operation) {
        return new LimitScope(providerId, Optional.of(operation));
    }

    /** The value of the board's {@code operation} column: the operation's name, or {@value #WHOLE_PROVIDER}. */
    public String boardKey() {
        return operation.map(OperationKind::name).orElse(WHOLE_PROVIDER);
    }

    @Override
    public String toString() {
        return operation.map(kind -> providerId + " " + kind).orElse(providerId);
    }
}
