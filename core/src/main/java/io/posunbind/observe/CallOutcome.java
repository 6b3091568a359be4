package io.posunbind.observe;

import io.posunbind.spi.API;

/** What a provider call came to. */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum CallOutcome {
    /** The provider answered with what was asked (an operation done, a read's value, nothing to do). */
    SUCCEEDED,
    /** The provider accepted an operation and will finish it later. */
    PENDING,
    /** The provider refused for good (a rule of its own, a terminal not found, not authorised). */
    REJECTED,
    /** The provider answered that it cannot now (unavailable, busy); the engine retries. */
    RETRYABLE_FAILURE,
    /** The provider answered 429: too many calls. */
    RATE_LIMITED,
    /** Whether the call took effect is unknown (a timeout); the engine asks the provider before sending again. */
    UNKNOWN,
    /** The adapter threw an exception without a code: a fault of the adapter, or of the network below it. */
    ERROR
}
