package io.posunbind.provider.wechatpay;

import io.posunbind.spi.API;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.SettlementAccountKind;
import java.util.Objects;
import java.util.Optional;

/**
 * The bank account a sub-merchant's settlement moves to: what WeChat Pay's 修改结算账户
 * ({@code POST /v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement}) needs. WeChat Pay cannot unbind a
 * signed sub-merchant's settlement account without naming the next one, so the host says which one through
 * {@link NewSettlementAccounts}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the account number masked and leaves the holder's
 * name out; the adapter sends both encrypted with the WeChat Pay public key.
 *
 * @param kind            {@link SettlementAccountKind#BANK_ACCOUNT} (对公银行账户, {@code ACCOUNT_TYPE_BUSINESS}) or
 *                        {@link SettlementAccountKind#BANK_CARD} (经营者个人银行卡, {@code ACCOUNT_TYPE_PRIVATE})
 * @param number          the account number ({@code account_number}), sent encrypted
 * @param holderName      the account name ({@code account_name}), sent encrypted; empty keeps the current one
 * @param bank            the bank as WeChat Pay lists it ({@code account_bank}, for example 工商银行)
 * @param bankAddressCode the bank's province/city code ({@code bank_address_code}, for example 110000)
 * @param bankName        the full branch name ({@code bank_name}), where the bank needs one
 * @param bankBranchId    the branch's interbank number ({@code bank_branch_id}, 联行号), where the bank needs one
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record NewSettlementAccount(SettlementAccountKind kind, AccountNumber number, Optional<String> holderName,
        String bank, String bankAddressCode, Optional<String> bankName, Optional<String> bankBranchId) {

    /** Checks the fields. */
    public NewSettlementAccount {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(holderName, "holderName");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(bankAddressCode, "bankAddressCode");
        Objects.requireNonNull(bankName, "bankName");
        Objects.requireNonNull(bankBranchId, "bankBranchId");
        if (kind == SettlementAccountKind.THIRD_PARTY_ACCOUNT) {
            throw new IllegalArgumentException("WeChat Pay settles to bank accounts and bank cards only");
        }
        if (bank.isBlank() || bank.length() > 128) {
            throw new IllegalArgumentException("bank: 1 to 128 characters, as WeChat Pay's bank list spells it");
        }
        if (!bankAddressCode.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("bankAddressCode: the six-digit province/city code");
        }
    }

    /** A bank account or card with the bank and its city code only. */
    public static NewSettlementAccount of(SettlementAccountKind kind, AccountNumber number, String bank,
            String bankAddressCode) {
        return new NewSettlementAccount(kind, number, Optional.empty(), bank, bankAddressCode, Optional.empty(),
                Optional.empty());
    }

    /** WeChat Pay's {@code account_type} for this account. */
    public String accountType() {
        return kind == SettlementAccountKind.BANK_ACCOUNT ? "ACCOUNT_TYPE_BUSINESS" : "ACCOUNT_TYPE_PRIVATE";
    }

    /** The kind, the masked number and the bank; never the clear number or the holder's name. */
    @Override
    public String toString() {
        return "NewSettlementAccount[" + kind + ", " + number.masked() + ", " + bank + "]";
    }
}
