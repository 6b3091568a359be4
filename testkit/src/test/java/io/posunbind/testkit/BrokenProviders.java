package io.posunbind.testkit;

import io.posunbind.spi.CallLimit;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
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

    /** A factory built against SPI 1.9, which this engine does not speak; the provider it creates is fine. */
    public static final class OldSpiFactory implements PaymentProviderFactory {
        @Override
        public String id() {
            return ReferenceProvider.ID;
        }

        @Override
        public String requestedSpiVersion() {
            return "1.9";
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            return new ReferenceProvider(FakeTerminalApi.shared());
        }
    }

    /** A provider built against SPI 3.0, newer than this engine. */
    public static final class FutureSpi extends ReferenceProvider {
        public FutureSpi() {
            this(FakeTerminalApi.shared());
        }

        FutureSpi(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public String requestedSpiVersion() {
            return "3.0";
        }
    }

    /** A factory whose provider is another class than the adapter under test (a copy-paste slip). */
    public static final class FactoryOfAnotherClass implements PaymentProviderFactory {
        @Override
        public String id() {
            return ReferenceProvider.ID;
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            return new IgnoresKeys(FakeTerminalApi.shared());
        }
    }

    /** A provider whose id is given to it; its factory creates it under another id than its own. */
    static final class Renamed extends ReferenceProvider {
        static final String ID = "kit-renamed";
        private final String id;

        Renamed(FakeTerminalApi api, String id) {
            super(api);
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** Registered under kit-renamed, but creates its provider with the id kit-renamed-2. */
    public static final class FactoryOfAnotherId implements PaymentProviderFactory {
        @Override
        public String id() {
            return Renamed.ID;
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            return new Renamed(FakeTerminalApi.shared(), Renamed.ID + "-2");
        }
    }

    /** Declares it does not honour keys, and cannot find what it sent either: the engine could only resend blindly. */
    static final class DeclaresNoKeysAndCannotLookUp extends ReferenceProvider {
        DeclaresNoKeysAndCannotLookUp(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected boolean sendsIdempotencyKey() {
            return false;
        }

        @Override
        public boolean honoursIdempotencyKeys() {
            return false;
        }

        @Override
        protected Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.empty();
        }
    }

    /** Remembers keys for a day only, and cannot find an operation after that: past a day, a resend repeats it. */
    static final class ForgetsKeysAndCannotLookUp extends ReferenceProvider {
        ForgetsKeysAndCannotLookUp(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public Optional<Duration> idempotencyKeyRetention() {
            return Optional.of(Duration.ofHours(24));
        }

        @Override
        protected Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.empty();
        }
    }

    /** Keeps its API key in the note it asks the engine to persist, so that a lookup can authenticate. */
    static final class NoteCarriesSecret extends ReferenceProvider {
        NoteCarriesSecret(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected Optional<String> note(SentOperation operation) {
            return Optional.of("auth=" + API_KEY);
        }
    }

    /** Tells in the exception for a forged notification which key the signature should have been made with. */
    static final class VerifyLeaksSecret extends ReferenceProvider {
        VerifyLeaksSecret(FakeTerminalApi api) {
            super(api);
        }

        @Override
        protected ProviderNotification verify(RawCallback request) {
            throw new ProviderException(NotificationErrorCode.SIGNATURE_INVALID, "SIGNATURE_MISMATCH",
                    "X-Signature is not the HMAC-SHA256 of the body under " + API_KEY);
        }
    }

    /** Asks the backend which operations the account may use when the engine reads its declarations. */
    static final class NetworkInDeclaration extends ReferenceProvider {
        NetworkInDeclaration(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public Set<OperationKind> supportedOperations() {
            api.getTerminal("KIT-000000");
            return super.supportedOperations();
        }
    }

    /** Asks the backend for its current quota when the engine reads the declared limits at load. */
    static final class NetworkInCallLimits extends ReferenceProvider {
        NetworkInCallLimits(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public ProviderLimits callLimits() {
            api.getTerminal("KIT-000000");
            return ProviderLimits.of(25, 4);
        }
    }

    /** Limits the calls of an operation it never performs: the limit meant another endpoint. */
    static final class LimitOfAnOperationItNeverPerforms extends ReferenceProvider {
        LimitOfAnOperationItNeverPerforms(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public ProviderLimits callLimits() {
            return ProviderLimits.of(25, 4).withOperation(OperationKind.SUBMIT_APPLICATION, CallLimit.perMinute(20));
        }
    }

    /** Means "no limit" for one operation and writes it as no calls a minute. */
    static final class NoCallsAMinute extends ReferenceProvider {
        NoCallsAMinute(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public ProviderLimits callLimits() {
            return ProviderLimits.of(25, 4).withOperation(OperationKind.UNBIND_TERMINAL, CallLimit.perMinute(0));
        }
    }

    /** Declares no limits with null instead of {@link ProviderLimits#unlimited()}. */
    static final class NullCallLimits extends ReferenceProvider {
        NullCallLimits(FakeTerminalApi api) {
            super(api);
        }

        @Override
        public ProviderLimits callLimits() {
            return null;
        }
    }

    /** A factory that checks its credentials with a request to the backend while it creates the provider. */
    public static final class NetworkInFactory implements PaymentProviderFactory {
        @Override
        public String id() {
            return ReferenceProvider.ID;
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public PaymentProvider create(ProviderSettings settings) {
            FakeTerminalApi.shared().getTerminal("KIT-000000");
            return new ReferenceProvider(FakeTerminalApi.shared());
        }
    }
}
