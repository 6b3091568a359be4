/**
 * Choosing the new terminal (选择新的POS机): rank candidate terminals, from a provider's
 * {@link io.posunbind.spi.ReplacementCatalog} or from the caller, on compatibility, features, security
 * and total cost, with weights the caller may change, and explain the ranking in words in zh-CN or en.
 * Start at {@link io.posunbind.replacement.TerminalRanker}.
 *
 * <p>All types here are immutable and thread-safe.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.replacement;
