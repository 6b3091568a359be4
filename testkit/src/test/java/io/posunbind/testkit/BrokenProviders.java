package io.posunbind.testkit;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Adapters with one mistake each, the kind adapter authors make; the contract must catch every one. */
final class BrokenProviders {

    private BrokenProviders() {
    }

    /** Sends no Idempotency-Key header, like an SDK that has none: the same request twice, two effects. */
    static final class IgnoresKeys extends ReferenceProvider {
        IgnoresKeys(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected boolean sendsIdempotencyKey() {
            return false;
        }
    }

    /** Lets a 500 escape as an exception instead of answering an outcome. */
    static final class ThrowsOn500 extends ReferenceProvider {
        ThrowsOn500(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome serverError(FakeTerminalApi.Response response) {
            throw new ProviderException(StandardErrorCode.PROVIDER_UNAVAILABLE, "500", "the provider failed");
        }
    }

    /** Rethrows a read timeout instead of answering Unknown. */
    static final class TimeoutThrows extends ReferenceProvider {
        TimeoutThrows(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome onIoException(IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Remembers in memory what it sent and looks up only that: a restarted process finds nothing. */
    static final class LookupNeedsMemory extends ReferenceProvider {
        private final Set<String> sent = ConcurrentHashMap.newKeySet();

        LookupNeedsMemory(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected String requestKey(OperationContext context) {
            sent.add(context.idempotencyKey().value());
            return super.requestKey(context);
        }

        @Override
        protected Optional<OperationOutcome> lookup(SentOperation reference) {
            return sent.contains(reference.idempotencyKey().value()) ? super.lookup(reference) : Optional.empty();
        }
    }

    /** Answers Done for any key it is asked about, sent or not. */
    static final class InventsLookups extends ReferenceProvider {
        InventsLookups(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.of(super.lookup(reference).orElse(OperationOutcome.done("assumed")));
        }
    }

    /** Maps the provider's 404 to an unmapped error instead of TERMINAL_NOT_FOUND. */
    static final class NotFoundIsUnmapped extends ReferenceProvider {
        NotFoundIsUnmapped(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected ProviderException notFound(String serial) {
            return new ProviderException(StandardErrorCode.UNMAPPED_PROVIDER_ERROR, "404", "HTTP 404");
        }
    }

    /** Drops the provider's Retry-After. */
    static final class IgnoresRetryAfter extends ReferenceProvider {
        IgnoresRetryAfter(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String serial) {
            return response.status() == 429 ? OperationOutcome.retryable("429", "rate limited")
                    : super.answer(response, serial);
        }
    }

    /** Makes up a new reference every time it answers Pending. */
    static final class UnstablePendingReference extends ReferenceProvider {
        UnstablePendingReference(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String serial) {
            OperationOutcome outcome = super.answer(response, serial);
            return outcome instanceof OperationOutcome.Pending
                    ? OperationOutcome.pending("poll-" + UUID.randomUUID(), Duration.ofMinutes(1)) : outcome;
        }
    }

    /** Puts the serial into the provider code, so no mapping table can ever match it. */
    static final class RefusalCodeCarriesSerial extends ReferenceProvider {
        RefusalCodeCarriesSerial(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome refused(String providerCode, String serial) {
            return OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, providerCode + "-" + serial,
                    "locked");
        }
    }

    /** Puts its API key into the exception it throws for an unknown terminal. */
    static final class LeaksSecret extends ReferenceProvider {
        LeaksSecret(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected ProviderException notFound(String serial) {
            return new ProviderException(StandardErrorCode.TERMINAL_NOT_FOUND, "404",
                    "GET /terminals/" + serial + " with Authorization: Bearer " + API_KEY + " answered 404");
        }
    }

    /** Warms its connection up in the constructor with a request to the backend. */
    static final class NetworkInConstructor extends ReferenceProvider {
        NetworkInConstructor(FakeTerminalApi api) {
            super(api);
            api.getTerminal("KIT-000000");
        }
    }

    /** Declares a serial pattern (ten digits) its own backend's serials do not have. */
    static final class SerialPatternDisagrees extends ReferenceProvider {
        SerialPatternDisagrees(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public Optional<Pattern> terminalSerialPattern() {
            return Optional.of(Pattern.compile("[0-9]{10}"));
        }
    }

    /** Has an id that no META-INF/services file registers. */
    static final class Unregistered extends ReferenceProvider {
        Unregistered(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public String id() {
            return "kit-unregistered";
        }
    }

    /**
     * Builds each request in one shared field, a classic data race. The rendezvous makes the race certain
     * instead of likely: the second concurrent caller overwrites the field before the first reads it back.
     */
    static final class SharesRequestState extends ReferenceProvider {
        private final CountDownLatch bothWrote = new CountDownLatch(2);
        private String currentKey;

        SharesRequestState(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected String requestKey(OperationContext context) {
            currentKey = context.idempotencyKey().value();
            bothWrote.countDown();
            try {
                bothWrote.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return currentKey;
        }
    }
}
