package io.posunbind.provider.wechatpay.internal;

/**
 * The shapes of WeChat Pay's settlement-account answers, read with the library's Gson (snake_case names map
 * to these fields). Account numbers and names arrive masked by WeChat Pay and are never logged.
 */
final class SettlementJson {

    private SettlementJson() {
    }

    /** The answer to {@code POST .../modify-settlement} in acceptance mode: {@code {"application_no": "..."}}. */
    static final class ApplicationNumber {
        String applicationNo;
    }

    /** The answer to {@code GET .../settlement}: the account bound now. */
    static final class CurrentSettlement {
        String accountType;
        String accountBank;
        String bankName;
        String bankBranchId;
        String accountNumber;
        String accountName;
        String verifyResult;
        String verifyFailReason;
    }

    /** The answer to {@code GET .../application/{application_no}}: the application and its review. */
    static final class Application {
        String accountName;
        String accountType;
        String accountBank;
        String bankName;
        String bankBranchId;
        String accountNumber;
        String verifyResult;
        String verifyFailReason;
        String verifyFinishTime;
    }
}
