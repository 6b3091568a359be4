package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.merchantNotFound;
import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;

import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountChangeLimit;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.UnsettledFunds;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's settlement-account desk. An unbind is reviewed (answers {@code Pending}) and refused
 * while anything is unsettled: the acquirer answers {@code Rejected} with
 * {@link StandardErrorCode#FUNDS_UNSETTLED}, whose code is retryable, as Chinese acquirers refuse the
 * change with an error code until T+1 settlement rather than queueing it. Where the merchant's account may
 * change only once per interval ({@link SandboxSettlement#setAccountChangeLimit}), an unbind inside the
 * interval is refused with {@link StandardErrorCode#ACCOUNT_CHANGE_LIMIT}, and each completed unbind
 * counts as a change. Thread-safe through the backend's lock.
 */
final class SandboxAccountAdapter implements AccountUnbindAdapter {

    private final AdapterGateway acquirer;

    SandboxAccountAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public Optional<SettlementAccount> readSettlementAccount(String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        return acquirer.read("readSettlementAccount", () -> requireMerchant(merchantNumber).account);
    }

    @Override
    public UnsettledFunds readUnsettledFunds(String merchantNumber, String terminalSerial) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        return acquirer.read("readUnsettledFunds",
                () -> acquirer.world().unsettledFundsOf(requireMerchant(merchantNumber), terminalSerial));
    }

    @Override
    public Optional<AccountChangeLimit> accountChangeLimit(String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        return acquirer.read("accountChangeLimit",
                () -> acquirer.world().accountChangeLimitOf(requireMerchant(merchantNumber)));
    }

    @Override
    public OperationOutcome unbindSettlementAccount(OperationContext context, String merchantNumber,
            SettlementAccount account) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(account, "account");
        return acquirer.execute(context, OperationKind.UNBIND_SETTLEMENT_ACCOUNT, List.of(merchantNumber, account),
                () -> List.of(merchantNumber), record -> {
                    Optional<MerchantState> found = acquirer.world().merchantState(merchantNumber);
                    if (found.isEmpty()) {
                        return merchantNotFound(merchantNumber);
                    }
                    MerchantState merchant = found.get();
                    if (merchant.account.isEmpty()) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-ACCOUNT-NOT-BOUND",
                                "Merchant " + merchantNumber + " has no settlement account bound");
                    }
                    SettlementAccount bound = merchant.account.get();
                    if (!bound.number().equals(account.number()) || bound.kind() != account.kind()) {
                        // Masked numbers only: the message may reach logs and screens.
                        return rejected(StandardErrorCode.ACCOUNT_OWNERSHIP_MISMATCH, "SBX-ACCOUNT-MISMATCH",
                                "Account " + account.number().masked() + " is not the account bound to merchant "
                                        + merchantNumber + " (" + bound.number().masked() + ")");
                    }
                    if (merchant.accountUnbindInReview.isPresent()) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-ACCOUNT-CHANGE-IN-REVIEW",
                                "An account change for merchant " + merchantNumber + " is already under review as "
                                        + merchant.accountUnbindInReview.get());
                    }
                    Optional<Instant> nextChangeAllowedAt = acquirer.world().accountChangeLimitOf(merchant)
                            .flatMap(AccountChangeLimit::nextChangeAllowedAt);
                    if (nextChangeAllowedAt.isPresent() && acquirer.now().isBefore(nextChangeAllowedAt.get())) {
                        return rejected(StandardErrorCode.ACCOUNT_CHANGE_LIMIT, "SBX-ACCOUNT-CHANGE-LIMIT",
                                "Merchant " + merchantNumber + " may change its settlement account once per "
                                        + describe(merchant.accountChangeInterval.orElseThrow())
                                        + "; the next change is allowed from " + acquirerTime(nextChangeAllowedAt.get())
                                        + " (Asia/Shanghai)");
                    }
                    if (merchant.hasUnsettledFunds()) {
                        // Retryable code: not remembered under the key, so the same request succeeds after settlement.
                        return rejected(StandardErrorCode.FUNDS_UNSETTLED, "SBX-FUNDS-UNSETTLED",
                                "Merchant " + merchantNumber + " has unsettled funds or transactions in flight;"
                                        + " wait for T+1 settlement");
                    }
                    OperationOutcome outcome = acquirer.acceptForReview(record, "SBX-ACC", reference -> {
                        merchant.accountUnbindInReview = Optional.empty();
                        merchant.accountLastChangedAt = Optional.of(acquirer.now());
                        // Only the reviewed account goes: a set-up may have bound another one meanwhile.
                        if (merchant.account.equals(Optional.of(bound))) {
                            merchant.account = Optional.empty();
                        }
                        return OperationOutcome.done(reference);
                    });
                    record.refusal = () -> merchant.accountUnbindInReview = Optional.empty();
                    if (record.pending()) {
                        merchant.accountUnbindInReview = record.providerReference;
                    }
                    return outcome;
                });
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return acquirer.lookup(reference);
    }

    private static String describe(Duration interval) {
        return interval.toSeconds() % 86_400 == 0 ? interval.toDays() + " day(s)" : interval.toString();
    }

    private static LocalDateTime acquirerTime(Instant instant) {
        return LocalDateTime.ofInstant(instant, SandboxBackend.ACQUIRER_ZONE);
    }

    private MerchantState requireMerchant(String merchantNumber) {
        return acquirer.world().merchantState(merchantNumber).orElseThrow(() -> new ProviderException(
                StandardErrorCode.MERCHANT_NOT_FOUND, "SBX-MERCHANT-NOT-FOUND",
                "Merchant " + merchantNumber + " is unknown to the sandbox; check the merchant number"));
    }
}
