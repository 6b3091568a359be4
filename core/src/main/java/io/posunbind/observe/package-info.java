/**
 * Observability without a framework: {@link io.posunbind.observe.EngineObserver}, set on
 * {@code Unbinder.builder().observer(...)}, is told around every step and every provider call (so a tracer
 * can open a span and make it current) and of retries, dead letters and claims;
 * {@link io.posunbind.observe.EngineHealth}, from {@code unbinder.health()}, says whether the store and
 * the providers answer, how far due work lags and how many cases wait for an operator. The
 * {@code posunbind-micrometer} module turns both into meters and Micrometer observations.
 *
 * <p>Nothing here carries a card, account, identity or phone number: only case ids, provider ids, step
 * kinds, operation names and error codes. Null is not a value in this package.
 */
package io.posunbind.observe;
