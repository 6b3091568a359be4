package io.posunbind.internal.engine;

/**
 * How a step handler has its case stored around a provider operation that may change something at the
 * provider. The case runner keeps the transitions of steps that sent no such operation (gates, checks, reads,
 * planning, the fee quote) in memory, to be stored with the case's next write: run again after a crash, they
 * lead to the same place, as nothing at the provider changed in between. An operation, though, is sent only
 * from a stored state, so that what led to it is never run again after it took effect.
 */
@FunctionalInterface
interface Checkpoint {

    /**
     * Called right before an operation is sent, once the step has marked it "sent, outcome unknown".
     *
     * @param writeAhead whether the provider might not recognise the operation sent again (it ignores or
     *                   forgets idempotency keys, or the adapter noted what its lookup will need): the mark
     *                   must then be stored before the call, so that after a crash the operation is looked
     *                   up rather than sent blindly
     */
    void beforeSending(boolean writeAhead);
}
