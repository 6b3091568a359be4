package io.posunbind.testkit;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Account and merchant-info adapters with one mistake each; the contract must catch every one. The send,
 * answer and lookup hooks serve both bindings, so a mistake there fails the account and the merchant-info
 * check alike.
 */
final class BrokenAccountProviders {

    /** The clear number of the bound account, as the fake holds it. */
    static final String CLEAR_ACCOUNT = "6222020200112233446";

    private BrokenAccountProviders() {
    }

    /** Puts the account number, in clear, into the holder's name it shows ("张三 (6222...)"). */
    static final class ClearNumberInHolderName extends ReferenceMerchantProvider {
        ClearNumberInHolderName(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected SettlementAccount account(String clearNumber) {
            return new SettlementAccount(SettlementAccountKind.BANK_CARD, AccountNumber.of(clearNumber),
                    "张三 (" + clearNumber + ")", "中国工商银行");
        }
    }

    /** Quotes the account number, in clear, in the refusal's message, and so in the Rejected's toString(). */
    static final class ClearNumberInRefusal extends ReferenceMerchantProvider {
        ClearNumberInRefusal(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String merchant) {
            return response.status() == 422 ? OperationOutcome.rejected(StandardErrorCode.INVALID_REQUEST,
                    response.body(), "Account " + CLEAR_ACCOUNT + " of merchant " + merchant + " is frozen")
                    : super.answer(response, merchant);
        }
    }

    /** Answers an unknown merchant with "no account bound" instead of MERCHANT_NOT_FOUND. */
    static final class UnknownMerchantHasNoAccount extends ReferenceMerchantProvider {
        UnknownMerchantHasNoAccount(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected Optional<SettlementAccount> readAccount(String merchantNumber) {
            return api.getMerchant(merchantNumber).flatMap(m -> m.accountNumber().map(this::account));
        }
    }

    /** Answers merchant info for any merchant, known or not. */
    static final class InventsMerchantInfo extends ReferenceMerchantProvider {
        InventsMerchantInfo(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected Optional<MerchantInfo> merchantInfo(String merchantNumber) {
            return Optional.of(new MerchantInfo(merchantNumber, "示例商户", "91310000MA1FL0000X", "张三", 0));
        }
    }

    /** Lets a 500 escape as an exception. */
    static final class ThrowsOn500 extends ReferenceMerchantProvider {
        ThrowsOn500(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String merchant) {
            if (response.status() == 500) {
                throw new ProviderException(StandardErrorCode.PROVIDER_UNAVAILABLE, "500", "the acquirer failed");
            }
            return super.answer(response, merchant);
        }
    }

    /** Drops the acquirer's Retry-After. */
    static final class DropsRetryAfter extends ReferenceMerchantProvider {
        DropsRetryAfter(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String merchant) {
            return response.status() == 429 ? OperationOutcome.retryable("429", "rate limited")
                    : super.answer(response, merchant);
        }
    }

    /** Takes a read timeout for a failure that changed nothing: the engine would resend blindly. */
    static final class TimeoutIsRetryable extends ReferenceMerchantProvider {
        TimeoutIsRetryable(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome onIoException(IOException e) {
            return e instanceof SocketTimeoutException ? OperationOutcome.retryable("TIMEOUT", "timed out")
                    : super.onIoException(e);
        }
    }

    /** Remembers in memory what it sent and looks up only that: a restarted process finds nothing. */
    static final class LookupNeedsMemory extends ReferenceMerchantProvider {
        private final Set<String> sent = ConcurrentHashMap.newKeySet();

        LookupNeedsMemory(FakeMerchantApi api) {
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
    static final class InventsLookups extends ReferenceMerchantProvider {
        InventsLookups(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.of(super.lookup(reference).orElse(OperationOutcome.done("assumed")));
        }
    }

    /** Claims to honour keys but sends none: a resent key is a second change. */
    static final class SecondEffectOnResentKey extends ReferenceMerchantProvider {
        SecondEffectOnResentKey(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected boolean sendsIdempotencyKey() {
            return false;
        }
    }

    /** Declares it honours no keys, and cannot find what it sent either. */
    static final class DeclaresNoKeysAndCannotLookUp extends ReferenceMerchantProvider {
        DeclaresNoKeysAndCannotLookUp(FakeMerchantApi api) {
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

    /** Answers a change taken for review as Pending without the acquirer's application number. */
    static final class PendingWithoutReference extends ReferenceMerchantProvider {
        PendingWithoutReference(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome pending(String reference) {
            return OperationOutcome.pending(Duration.ofMinutes(30));
        }
    }

    /** Puts the merchant number into the provider code. */
    static final class RefusalCodeCarriesMerchant extends ReferenceMerchantProvider {
        RefusalCodeCarriesMerchant(FakeMerchantApi api) {
            super(api);
        }

        @Override
        protected OperationOutcome answer(FakeTerminalApi.Response response, String merchant) {
            return response.status() == 422 ? OperationOutcome.rejected(StandardErrorCode.INVALID_REQUEST,
                    response.body() + "-" + merchant, "frozen") : super.answer(response, merchant);
        }
    }

    /** Leaves the deletion of merchant info out of what it declares, yet performs it when asked. */
    static final class PerformsWhatItLeavesOut extends ReferenceMerchantProvider {
        PerformsWhatItLeavesOut(FakeMerchantApi api) {
            super(api);
        }

        @Override
        public Set<OperationKind> supportedOperations() {
            return Set.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
        }
    }

    /** Builds each request in one shared field; the rendezvous makes the race certain. */
    static final class SharesRequestState extends ReferenceMerchantProvider {
        private final CountDownLatch bothWrote = new CountDownLatch(2);
        private String currentKey;

        SharesRequestState(FakeMerchantApi api) {
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

    /**
     * An acquirer without keys, declared honestly: it sends none and finds each change by the client
     * reference before the engine sends it again. Passes.
     */
    static final class WithoutKeys extends ReferenceMerchantProvider {
        WithoutKeys(FakeMerchantApi api) {
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
    }
}
