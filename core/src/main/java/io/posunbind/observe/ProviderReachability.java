package io.posunbind.observe;

import io.posunbind.spi.API;

/**
 * Whether a provider answers, as the engine learnt from its own recent calls (health checks never call
 * a provider: a probe would spend the calls its rate limit allows, on every scrape).
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum ProviderReachability {
    /** Its last call was answered (a rejection or a 429 is an answer too). */
    REACHABLE,
    /** Its last calls in a row went unanswered: unavailable, timed out, or the adapter failed. */
    UNREACHABLE,
    /** No call to it recently: nothing to tell from. */
    UNKNOWN
}
