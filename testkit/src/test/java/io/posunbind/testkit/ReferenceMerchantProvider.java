package io.posunbind.testkit;

import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.UnsettledFunds;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Currency;
import java.util.Optional;
import java.util.Set;

/**
 * An account and merchant-info adapter written the way the contract asks, on {@link FakeMerchantApi}, with
 * no device binding: the kit's proof that the account and merchant-info checks can be passed, and that the
 * device checks are skipped for it. Broken variants ({@link BrokenAccountProviders}) override one hook each.
 */
public class ReferenceMerchantProvider implements PaymentProvider {

    static final String ID = "kit-merchant-reference";
    static final Duration BUDGET = Duration.ofSeconds(10);

    protected final FakeMerchantApi api;
    private final AccountUnbindAdapter accounts = new Accounts();
    private final MerchantInfoAdapter merchantInfo = new MerchantInfos();

    /** The provider ServiceLoader creates, on the shared fake backend. */
    public ReferenceMerchantProvider() {
        this(FakeMerchantApi.shared());
    }

    ReferenceMerchantProvider(FakeMerchantApi api) {
        this.api = api;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String displayName() {
        return "Test kit reference acquirer (accounts and merchant info)";
    }

    @Override
    public Optional<AccountUnbindAdapter> accountAdapter() {
        return Optional.of(accounts);
    }

    @Override
    public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
        return Optional.of(merchantInfo);
    }

    /** Detaching a terminal is not the reference acquirer's: its merchant info holds no terminals. */
    @Override
    public Set<OperationKind> supportedOperations() {
        return Set.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, OperationKind.DELETE_MERCHANT_INFO);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + "]";
    }

    // Hooks the broken variants override ---------------------------------------------------------------

    protected String requestKey(OperationContext context) {
        return context.idempotencyKey().value();
    }

    protected boolean sendsIdempotencyKey() {
        return true;
    }

    protected OperationOutcome answer(FakeTerminalApi.Response response, String merchant) {
        if (response.elapsed().compareTo(BUDGET) > 0) {
            return OperationOutcome.unknown("no answer within " + BUDGET);
        }
        return switch (response.status()) {
            case 200 -> OperationOutcome.done(response.body());
            case 202 -> pending(response.body());
            case 404 -> OperationOutcome.rejected(StandardErrorCode.MERCHANT_NOT_FOUND, response.body(),
                    "Merchant " + merchant + " is unknown");
            case 422 -> OperationOutcome.rejected(StandardErrorCode.INVALID_REQUEST, response.body(),
                    "Merchant " + merchant + " is frozen at the acquirer");
            case 429 -> response.retryAfter().map(wait -> OperationOutcome.rateLimited("429", "rate limited", wait))
                    .orElseGet(() -> OperationOutcome.retryable("429", "rate limited"));
            default -> OperationOutcome.retryable(String.valueOf(response.status()), "acquirer error");
        };
    }

    protected OperationOutcome pending(String reference) {
        return OperationOutcome.pending(reference, Duration.ofMinutes(30));
    }

    protected OperationOutcome onIoException(IOException e) {
        return OperationOutcome.unknown((e instanceof SocketTimeoutException ? "read timed out: " : "connection lost: ")
                + e.getMessage());
    }

    /** The account as read: the number wrapped, so that only its masked form is ever shown. */
    protected SettlementAccount account(String clearNumber) {
        return new SettlementAccount(SettlementAccountKind.BANK_CARD, AccountNumber.of(clearNumber), "张三",
                "中国工商银行");
    }

    protected Optional<SettlementAccount> readAccount(String merchantNumber) {
        return merchant(merchantNumber).accountNumber().map(this::account);
    }

    protected Optional<MerchantInfo> merchantInfo(String merchantNumber) {
        return api.getMerchant(merchantNumber).filter(FakeMerchantApi.Merchant::infoBound)
                .map(m -> new MerchantInfo(merchantNumber, "示例商户", "91310000MA1FL0000X", "张三", 0));
    }

    protected Optional<String> note(SentOperation operation) {
        return Optional.of("before=bound");
    }

    protected Optional<OperationOutcome> lookup(SentOperation reference) {
        FakeTerminalApi.Response found = api.findOperation(reference.idempotencyKey().value());
        return found.status() == 404 ? Optional.empty()
                : Optional.of(answer(found, reference.target().merchantNumber()));
    }

    protected OperationOutcome send(OperationContext context, OperationKind kind, String merchant) {
        String key = requestKey(context);
        try {
            return answer(api.post(kind, merchant, sendsIdempotencyKey() ? key : null, key), merchant);
        } catch (IOException e) {
            return onIoException(e);
        }
    }

    protected final FakeMerchantApi.Merchant merchant(String merchantNumber) {
        return api.getMerchant(merchantNumber).orElseThrow(() -> new ProviderException(
                StandardErrorCode.MERCHANT_NOT_FOUND, "NO_SUCH_MERCHANT", "Merchant " + merchantNumber + " is unknown"));
    }

    private final class Accounts implements AccountUnbindAdapter {
        @Override
        public Optional<SettlementAccount> readSettlementAccount(String merchantNumber) {
            return readAccount(merchantNumber);
        }

        @Override
        public UnsettledFunds readUnsettledFunds(String merchantNumber, String terminalSerial) {
            merchant(merchantNumber);
            return UnsettledFunds.none(Currency.getInstance("CNY"));
        }

        @Override
        public OperationOutcome unbindSettlementAccount(OperationContext context, String merchantNumber,
                SettlementAccount account) {
            return send(context, OperationKind.UNBIND_SETTLEMENT_ACCOUNT, merchantNumber);
        }

        @Override
        public Optional<String> prepare(SentOperation operation) {
            return note(operation);
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation operation) {
            return ReferenceMerchantProvider.this.lookup(operation);
        }

        @Override
        public String toString() {
            return ReferenceMerchantProvider.this + ".accounts";
        }
    }

    private final class MerchantInfos implements MerchantInfoAdapter {
        @Override
        public Optional<MerchantInfo> readMerchantInfo(String merchantNumber) {
            return merchantInfo(merchantNumber);
        }

        @Override
        public OperationOutcome detachTerminal(OperationContext context, String merchantNumber, String terminalSerial) {
            return OperationOutcome.notApplicable("the reference acquirer keeps no terminals in its merchant info");
        }

        @Override
        public OperationOutcome deleteMerchantInfo(OperationContext context, String merchantNumber) {
            return send(context, OperationKind.DELETE_MERCHANT_INFO, merchantNumber);
        }

        @Override
        public Optional<String> prepare(SentOperation operation) {
            return note(operation);
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation operation) {
            return ReferenceMerchantProvider.this.lookup(operation);
        }

        @Override
        public String toString() {
            return ReferenceMerchantProvider.this + ".merchantInfo";
        }
    }
}
