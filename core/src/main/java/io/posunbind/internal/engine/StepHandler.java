package io.posunbind.internal.engine;

import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import java.util.Optional;

/**
 * Carries out one {@link StepKind} of a case against its provider: one handler per kind, registered in
 * {@link StepHandlers}, instead of one switch that knows every step.
 *
 * <p>A handler changes the case in memory only; the runner stores what it did. Handlers keep no state of
 * their own and are thread-safe.
 */
@FunctionalInterface
interface StepHandler {

    /**
     * Runs the step once.
     *
     * @param checkpoint called right before an operation that may change something at the provider is sent
     */
    StepResult run(CaseDocument document, StepRecord step, PaymentProvider provider, Checkpoint checkpoint);

    /** The adapter a step needs, or a coded refusal naming it. */
    static <T> T require(Optional<T> adapter, String what) {
        return adapter.orElseThrow(() -> new PosUnbindException(CoreErrorCode.CAPABILITY_MISSING,
                "The provider has no " + what + " adapter, which this step needs"));
    }
}
