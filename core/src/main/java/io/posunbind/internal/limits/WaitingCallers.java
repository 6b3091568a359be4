package io.posunbind.internal.limits;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Who waits for one limiter's tokens, so that the limiter serves them in turn: the callers it deferred, with
 * the wake times promised to them, and the steps under way waiting a moment for their next token (see
 * {@link ProviderLimiter}). Not thread-safe: the limiter's lock guards it.
 */
final class WaitingCallers {

    /** Wake times handed to deferred callers, in order, not passed yet, and the tokens each will need. */
    private final ArrayDeque<Promise> promised = new ArrayDeque<>();
    private int promisedTokens;
    /** Tickets of the steps waiting for their next token, first come first served. */
    private final ArrayDeque<Long> steps = new ArrayDeque<>();
    private long lastTicket;

    /**
     * The tokens promised to deferred callers whose wake time is after {@code now}. A caller that does not
     * come back (its case went elsewhere) keeps its promise only until its wake time, forgotten here.
     */
    int promisedAfter(Instant now) {
        while (!promised.isEmpty() && !promised.peekFirst().wakeAt().isAfter(now)) {
            promisedTokens -= promised.pollFirst().tokens();
        }
        return promisedTokens;
    }

    /** Promises {@code tokens} to a caller at {@code wake}, or at the last promise's, if later (kept in order). */
    Instant promise(Instant wake, int tokens) {
        Promise last = promised.peekLast();
        Instant at = last != null && last.wakeAt().isAfter(wake) ? last.wakeAt() : wake;
        promised.addLast(new Promise(at, tokens));
        promisedTokens += tokens;
        return at;
    }

    /** A ticket for a step that starts to wait, last in line. */
    long stepWaits() {
        long ticket = ++lastTicket;
        steps.addLast(ticket);
        return ticket;
    }

    /** Takes {@code ticket} out of the line: how many steps were before it. */
    int stepLeaves(long ticket) {
        int ahead = 0;
        for (Iterator<Long> it = steps.iterator(); it.hasNext(); ahead++) {
            if (it.next() == ticket) {
                it.remove();
                return ahead;
            }
        }
        return ahead;
    }

    /** How many steps wait for their next token. */
    int stepsWaiting() {
        return steps.size();
    }

    private record Promise(Instant wakeAt, int tokens) {
    }
}
