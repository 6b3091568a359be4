/**
 * Contracts a payment provider implements so the engine can unbind a merchant's terminal through it.
 *
 * <p>Start at {@link io.posunbind.spi.PaymentProvider}: it is found with {@link java.util.ServiceLoader}
 * and hands out the adapters the provider supports. Every mutating call receives an
 * {@link io.posunbind.spi.OperationContext} carrying an {@link io.posunbind.spi.IdempotencyKey} that
 * the engine chose and keeps stable across retries, and answers with an
 * {@link io.posunbind.spi.OperationOutcome}.
 *
 * <p>Before a mutating call the engine persists a {@link io.posunbind.spi.SentOperation} (key, target,
 * arguments, first sending time, earlier provider reference, and the note the adapter attaches in
 * {@link io.posunbind.spi.OperationLookup#prepare}); {@link io.posunbind.spi.OperationLookup#lookup} receives
 * it back, also in a new process, so an adapter keeps no journal of its own.
 *
 * <p>Which outcome for which provider answer, in short (the full table is on
 * {@link io.posunbind.spi.OperationOutcome}): 2xx done is {@code Done}; accepted for later is {@code Pending}
 * (with or without the provider's reference); 4xx, 401/403, 404 and 422 are {@code Rejected} with
 * {@code INVALID_REQUEST}, {@code NOT_AUTHORIZED}, {@code TERMINAL_NOT_FOUND} and a state code; 409 is
 * {@code Rejected} with {@code OPERATION_IN_PROGRESS} (or {@code IDEMPOTENCY_KEY_REUSED}); 429 is
 * {@code RetryableFailure} with {@code RATE_LIMITED} and the Retry-After; a 5xx before the provider acted is
 * {@code RetryableFailure}; a timeout, a connection reset or a 5xx after which the effect is uncertain is
 * {@code Unknown}. The engine never sends a {@code Rejected} with a code that is not retryable again under
 * its key; a {@code Rejected} with a retryable code (a refusal "for now") is looked up first after a wait,
 * and sent again under the same key only if the lookup finds nothing or the same refusal.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.spi;
