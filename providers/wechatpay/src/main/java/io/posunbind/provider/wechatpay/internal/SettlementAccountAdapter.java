package io.posunbind.provider.wechatpay.internal;

import com.google.gson.JsonObject;
import io.posunbind.provider.wechatpay.NewSettlementAccount;
import io.posunbind.provider.wechatpay.NewSettlementAccounts;
import io.posunbind.provider.wechatpay.WechatPayErrorCode;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.LocalizedText;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.UnsettledFunds;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * A sub-merchant's settlement account at WeChat Pay for service providers (微信支付服务商):
 * <ul>
 *   <li>read: 查询结算账户, {@code GET /v3/apply4sub/sub_merchants/{sub_mchid}/settlement} (number masked);</li>
 *   <li>unbind: WeChat Pay has none; 修改结算账户 ({@code POST .../modify-settlement}, acceptance mode) moves the
 *       settlement to the account {@link NewSettlementAccounts} names, answered with an {@code application_no}
 *       that WeChat Pay reviews (pending);</li>
 *   <li>lookup: 查询结算账户修改申请状态 ({@code GET .../application/{application_no}}) by the reference; without
 *       it (the answer was lost) the bound account is compared with the requested one kept in the note.</li>
 * </ul>
 * Thread-safe: it holds immutable state and the thread-safe {@link WechatPayHttp}.
 */
final class SettlementAccountAdapter implements AccountUnbindAdapter {

    private static final Duration READ_BUDGET = Duration.ofSeconds(30);
    private static final Currency CNY = Currency.getInstance("CNY");

    private final WechatPayHttp http;
    private final NewSettlementAccounts newAccounts;
    private final Duration pollInterval;

    SettlementAccountAdapter(WechatPayHttp http, NewSettlementAccounts newAccounts, Duration pollInterval) {
        this.http = Objects.requireNonNull(http, "http");
        this.newAccounts = Objects.requireNonNull(newAccounts, "newAccounts");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    @Override
    public Optional<SettlementAccount> readSettlementAccount(String merchantNumber) {
        SettlementJson.CurrentSettlement current = currentSettlement(merchantNumber);
        if (current == null || current.accountNumber == null || current.accountNumber.isBlank()) {
            return Optional.empty();
        }
        SettlementAccountKind kind = "ACCOUNT_TYPE_BUSINESS".equals(current.accountType)
                ? SettlementAccountKind.BANK_ACCOUNT : SettlementAccountKind.BANK_CARD;
        // WeChat Pay shows the number masked; it is kept masked, as received.
        String institution = current.bankName != null && !current.bankName.isBlank() ? current.bankName
                : Objects.requireNonNullElse(current.accountBank, "");
        return Optional.of(new SettlementAccount(kind, AccountNumber.of(current.accountNumber),
                Objects.requireNonNullElse(current.accountName, ""), institution));
    }

    /**
     * Nothing the change could lose: settled funds stay in the sub-merchant's WeChat Pay balance and are
     * withdrawn to whichever account is bound then, and WeChat Pay's service-provider API has no read of
     * unsettled funds for a sub-merchant. Answered as none, in CNY.
     */
    @Override
    public UnsettledFunds readUnsettledFunds(String merchantNumber, String terminalSerial) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        return UnsettledFunds.none(CNY);
    }

    @Override
    public Optional<String> prepare(SentOperation operation) {
        if (operation.kind() != OperationKind.UNBIND_SETTLEMENT_ACCOUNT) {
            return Optional.empty();
        }
        // The requested account, masked, for a lookup that must do without WeChat Pay's application number.
        return newAccounts.newAccountFor(operation.target().merchantNumber())
                .map(target -> fingerprintOf(target).toNote());
    }

    @Override
    public OperationOutcome unbindSettlementAccount(OperationContext context, String merchantNumber,
            SettlementAccount account) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(account, "account");
        Optional<NewSettlementAccount> target = newAccounts.newAccountFor(merchantNumber);
        if (target.isEmpty()) {
            return OperationOutcome.notApplicable("WeChat Pay cannot unbind a sub-merchant's settlement account, only"
                    + " replace it (修改结算账户); no new account was given for sub-merchant " + merchantNumber
                    + ": build the provider with a NewSettlementAccounts that names it");
        }
        try {
            SettlementJson.ApplicationNumber answer = http.post(subMerchant(merchantNumber) + "/modify-settlement",
                    modifyRequest(target.get()), SettlementJson.ApplicationNumber.class, context.timeBudget());
            if (answer == null || answer.applicationNo == null || answer.applicationNo.isBlank()) {
                // 204: the synchronous mode of before April 2023 changed the account at once.
                return OperationOutcome.done(settlementReference(merchantNumber));
            }
            return inReview(answer.applicationNo);
        } catch (CallFailure failure) {
            return WechatPayAnswers.ofChange(failure);
        } catch (RuntimeException e) {
            // Encryption or building the request failed before anything was sent; the exception's message could
            // quote the account, so only its type goes on.
            return OperationOutcome.rejected(StandardErrorCode.INVALID_REQUEST, "REQUEST_NOT_BUILT",
                    "The change could not be prepared (" + e.getClass().getSimpleName() + "); nothing was sent");
        }
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation operation) {
        if (operation.kind() != OperationKind.UNBIND_SETTLEMENT_ACCOUNT) {
            return Optional.empty();
        }
        String merchant = operation.target().merchantNumber();
        if (operation.providerReference().isPresent()) {
            return Optional.of(applicationState(merchant, operation.providerReference().get()));
        }
        // The application number was lost with the answer, and WeChat Pay lists no applications by
        // sub-merchant: only the bound account tells whether the change took effect.
        Optional<AccountFingerprint> requested = AccountFingerprint.fromNote(operation.adapterNote());
        if (requested.isEmpty()) {
            return Optional.empty();
        }
        SettlementJson.CurrentSettlement current = currentSettlement(merchant);
        if (current != null && requested.get().matches(current.accountType, current.accountBank,
                current.accountNumber)) {
            return Optional.of(OperationOutcome.done(settlementReference(merchant)));
        }
        return Optional.empty();
    }

    private OperationOutcome applicationState(String merchant, String applicationNo) {
        SettlementJson.Application application;
        try {
            application = http.get(subMerchant(merchant) + "/application/" + encode(applicationNo),
                    SettlementJson.Application.class, READ_BUDGET);
        } catch (CallFailure failure) {
            throw WechatPayAnswers.ofRead(failure, "Reading settlement-account application " + applicationNo);
        }
        String result = application == null ? "" : Objects.requireNonNullElse(application.verifyResult, "");
        return switch (result) {
            case "AUDIT_SUCCESS" -> OperationOutcome.done(applicationNo);
            case "AUDIT_FAIL" -> OperationOutcome.rejected(WechatPayErrorCode.SETTLEMENT_CHANGE_REFUSED, "AUDIT_FAIL",
                    "WeChat Pay refused settlement-account application " + applicationNo + ": " + Scrub.numbers(
                            Objects.requireNonNullElse(application.verifyFailReason, "no reason given")));
            case "AUDITING" -> inReview(applicationNo);
            default -> throw new ProviderException(StandardErrorCode.UNMAPPED_PROVIDER_ERROR,
                    result.isEmpty() ? "NO_VERIFY_RESULT" : "VERIFY_RESULT_UNKNOWN",
                    "WeChat Pay answered application " + applicationNo + " with a review state this adapter does"
                            + " not know");
        };
    }

    private OperationOutcome inReview(String applicationNo) {
        return OperationOutcome.pending(applicationNo, pollInterval).withOperatorNote(LocalizedText.of(
                "WeChat Pay reviews settlement-account application " + applicationNo + ": usually within a day, at"
                        + " most 5 working days; it may send 0.01 CNY to the new account to verify it.",
                "微信支付正在审核结算账户修改申请 " + applicationNo + "，通常一个自然日内完成，最长5个工作日；"
                        + "审核期间可能向新结算账户汇款0.01元验证。"));
    }

    private SettlementJson.CurrentSettlement currentSettlement(String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        try {
            return http.get(subMerchant(merchantNumber) + "/settlement", SettlementJson.CurrentSettlement.class,
                    READ_BUDGET);
        } catch (CallFailure failure) {
            throw WechatPayAnswers.ofRead(failure, "Reading the settlement account of sub-merchant " + merchantNumber);
        }
    }

    private JsonObject modifyRequest(NewSettlementAccount target) {
        JsonObject body = new JsonObject();
        // Acceptance mode: answered with an application number (WeChat Pay's community notes it is still
        // needed to get one, whatever the documentation says about April 2023).
        body.addProperty("modify_mode", "MODIFY_MODE_ASYNC");
        body.addProperty("account_type", target.accountType());
        body.addProperty("account_bank", target.bank());
        body.addProperty("bank_address_code", target.bankAddressCode());
        target.bankName().ifPresent(name -> body.addProperty("bank_name", name));
        target.bankBranchId().ifPresent(id -> body.addProperty("bank_branch_id", id));
        body.addProperty("account_number", http.encrypt(target.number().reveal()));
        target.holderName().ifPresent(name -> body.addProperty("account_name", http.encrypt(name)));
        return body;
    }

    static AccountFingerprint fingerprintOf(NewSettlementAccount target) {
        return new AccountFingerprint(target.accountType(), target.bank(), target.number().masked());
    }

    private static String subMerchant(String merchantNumber) {
        return "/v3/apply4sub/sub_merchants/" + encode(merchantNumber);
    }

    private static String settlementReference(String merchantNumber) {
        return "settlement:" + merchantNumber;
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
