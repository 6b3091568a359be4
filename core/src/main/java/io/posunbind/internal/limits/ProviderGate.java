package io.posunbind.internal.limits;

import io.posunbind.ProviderLimitStats;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderLimits;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every call to one provider passes here: it takes a permit of the provider-wide {@link ProviderLimiter} and,
 * when it performs an operation with a limit of its own, first a permit of that operation's limiter, so it
 * fits both limits (see {@link ProviderLimits}). When the operation's limiter lets it through and the
 * provider-wide one does not, the operation's permit is given back unused: a call deferred spends nothing.
 * Thread-safe.
 */
final class ProviderGate {

    private final ProviderLimiter wholeProvider;
    private final Map<OperationKind, ProviderLimiter> byOperation;

    /**
     * @param wholeProvider the provider-wide limiter
     * @param byOperation   the limiter of each operation with a limit of its own
     */
    ProviderGate(ProviderLimiter wholeProvider, Map<OperationKind, ProviderLimiter> byOperation) {
        this.wholeProvider = wholeProvider;
        EnumMap<OperationKind, ProviderLimiter> copy = new EnumMap<>(OperationKind.class);
        copy.putAll(byOperation);
        this.byOperation = copy;
    }

    /**
     * The permits for one call, performing {@code operation} when present (a call with an
     * {@code OperationContext}); close it when the call returns.
     *
     * @throws CallDeferred when either limit allows no call now: nothing must be sent
     */
    Passage acquire(Optional<OperationKind> operation) {
        ProviderLimiter own = operation.map(byOperation::get).orElse(null);
        Permit ofOperation = own == null ? null : own.acquire();
        try {
            return new Passage(ofOperation, wholeProvider.acquire());
        } catch (RuntimeException e) {
            if (ofOperation != null) {
                ofOperation.refund();
            }
            throw e;
        }
    }

    /**
     * The provider answered a call with "too many requests": pauses the limiter that answer most likely came
     * from. A call that performs an operation with a limit of its own pauses that operation only; any other
     * call pauses the whole provider. Why: the providers that document limits per endpoint count them apart
     * from the account's (WeChat Pay's {@code 429 FREQUENCY_LIMITED} to its settlement-account change is that
     * endpoint's 20 a minute, while its queries go on answering; Stripe's stricter limits of single resources
     * "also count against" the account's, and Adyen limits "a group of endpoints"), and their 429s do not say
     * which limiter refused. Pausing the whole provider for the tight operation's 429 would stop every read the
     * provider still serves; if the account-wide limiter refused after all, the next call of another kind is
     * refused too and pauses the provider then: a wrong guess costs one refused call, never a burst.
     */
    void rateLimited(Optional<OperationKind> operation, Duration retryAfter) {
        operation.map(byOperation::get).orElse(wholeProvider).pause(retryAfter);
    }

    /** Renews this instance's shares of every limit, where a heartbeat is due. */
    void heartbeat() {
        wholeProvider.heartbeat();
        byOperation.values().forEach(ProviderLimiter::heartbeat);
    }

    /** The limits in force: the provider-wide ones and each operation's. */
    ProviderLimits limits() {
        return wholeProvider.limits();
    }

    /**
     * What the limiters did: the calls permitted (each call counts once), and the deferrals and pauses of the
     * provider-wide limiter and of every operation's together; the pause in force is the provider-wide one.
     */
    ProviderLimitStats stats() {
        ProviderLimitStats whole = wholeProvider.stats();
        long deferred = whole.callsDeferred();
        long byPause = whole.deferredByPause();
        long pauses = whole.pausesFromRetryAfter();
        for (ProviderLimiter operation : byOperation.values()) {
            ProviderLimitStats own = operation.stats();
            deferred += own.callsDeferred();
            byPause += own.deferredByPause();
            pauses += own.pausesFromRetryAfter();
        }
        return new ProviderLimitStats(whole.providerId(), whole.limits(), whole.callsPermitted(), deferred, byPause,
                pauses, whole.pausedUntil(), whole.liveInstances());
    }

    /** The permits of one call: closes them both. */
    static final class Passage implements AutoCloseable {
        private final Permit ofOperation;
        private final Permit ofProvider;

        private Passage(Permit ofOperation, Permit ofProvider) {
            this.ofOperation = ofOperation;
            this.ofProvider = ofProvider;
        }

        @Override
        public void close() {
            ofProvider.close();
            if (ofOperation != null) {
                ofOperation.close();
            }
        }
    }
}
