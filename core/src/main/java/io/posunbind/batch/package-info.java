/**
 * Fleet unbinds: many unbind requests (one row per terminal, from code, a CSV or a JSON file) validated
 * together and run as the cases of one batch, with progress, pause, resume, cancel, an optional window of
 * hours in which work may start, and a final report per row. Start at {@link io.posunbind.batch.Batches}
 * ({@code unbinder.batches()}).
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.batch;
