/**
 * The Stripe adapter's implementation: the provider, the device adapter, the webhook parser, stripe-java's
 * client set up without its own retries, and the mapping of Stripe's errors. Not an API: it may change
 * without notice. Parameters and returns are non-null unless typed {@code Optional}.
 */
package io.posunbind.provider.stripe.internal;
