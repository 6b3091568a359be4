/**
 * Contracts a payment provider implements so the engine can unbind a merchant's terminal through it.
 *
 * <p>Start at {@link io.posunbind.spi.PaymentProvider}: it is found with {@link java.util.ServiceLoader}
 * and hands out the adapters the provider supports. Every mutating call receives an
 * {@link io.posunbind.spi.OperationContext} carrying an {@link io.posunbind.spi.IdempotencyKey} that
 * the engine chose and keeps stable across retries, and answers with an
 * {@link io.posunbind.spi.OperationOutcome}.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.spi;
