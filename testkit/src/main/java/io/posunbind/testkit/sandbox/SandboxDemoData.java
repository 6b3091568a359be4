package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.TerminalCandidate;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A ready-made merchant for demos and scenario tests: a Shanghai restaurant with one active terminal
 * (printer and scanner attached), a bank-card settlement account, a registered mobile phone, a short
 * usage history, nothing unsettled, and a new replacement terminal waiting to be set up. No operation
 * needs a verification until a test asks for one ({@link SandboxVerifications#requireVerification}).
 *
 * <pre>{@code
 * SandboxProvider sandbox = SandboxProvider.withDemoData();
 * Terminal old = sandbox.deviceAdapter().orElseThrow().readTerminal(SandboxDemoData.TERMINAL_SERIAL);
 * }</pre>
 *
 * <p>The identifiers are valid: the unified social credit code carries a correct GB 32100 check
 * character, the card number a correct Luhn digit. They are made up and belong to nobody.
 *
 * <p>Thread-safe: constants only.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxDemoData {

    /** The merchant number (商户号). */
    public static final String MERCHANT_NUMBER = "898310058120001";
    /** The registered merchant name. */
    public static final String MERCHANT_NAME = "上海示例餐饮有限公司";
    /** The business licence's unified social credit code (统一社会信用代码), check character valid. */
    public static final String UNIFIED_SOCIAL_CREDIT_CODE = "91310000MA1FL4B24G";
    /** The legal representative. */
    public static final String LEGAL_REPRESENTATIVE_NAME = "张伟";
    /** The mobile phone registered with the acquirer, to which SMS codes go; an example number. Never log it. */
    public static final String REGISTERED_PHONE = "13800138000";
    /** The store the terminal stands in. */
    public static final String STORE_ID = "STORE-SH-0001";

    /** The serial number of the terminal to unbind. */
    public static final String TERMINAL_SERIAL = "0820000001";
    /** Its model. */
    public static final String TERMINAL_MODEL = "PAX A920";
    /** The receipt printer's serial number; its binding id is {@code "PRL-" + PRINTER_SERIAL}. */
    public static final String PRINTER_SERIAL = "PRT-2023-0001";
    /** The scanner's serial number; its binding id is {@code "PRL-" + SCANNER_SERIAL}. */
    public static final String SCANNER_SERIAL = "SCN-2023-0001";

    /** The settlement bank card, a UnionPay-like number with a valid Luhn digit. Never log it. */
    public static final String SETTLEMENT_CARD_NUMBER = "6222021001123456789";
    /** The bank holding the settlement card. */
    public static final String SETTLEMENT_BANK = "中国工商银行上海分行";

    /** The new terminal waiting to replace the old one. */
    public static final String REPLACEMENT_SERIAL = "1170000001";
    /** Its model, which is also in the replacement catalog. */
    public static final String REPLACEMENT_MODEL = "PAX A920Pro";

    private SandboxDemoData() {
    }

    /** The demo settlement account: a bank card held by the legal representative. */
    public static SettlementAccount settlementAccount() {
        return new SettlementAccount(SettlementAccountKind.BANK_CARD, AccountNumber.of(SETTLEMENT_CARD_NUMBER),
                LEGAL_REPRESENTATIVE_NAME, SETTLEMENT_BANK);
    }

    /**
     * Adds the demo merchant, terminal, peripherals, account, usage records, settings and replacement
     * terminal to a backend. Usage records are dated in the days before the backend clock's now.
     *
     * @return the same backend
     */
    public static SandboxBackend seed(SandboxBackend backend) {
        Instant now = backend.clock().instant();
        backend.addMerchant(MERCHANT_NUMBER, MERCHANT_NAME, UNIFIED_SOCIAL_CREDIT_CODE, LEGAL_REPRESENTATIVE_NAME)
                .addTerminal(TERMINAL_SERIAL, TERMINAL_MODEL, TerminalStatus.ACTIVE, Optional.of(STORE_ID),
                        List.of(MERCHANT_NUMBER))
                .addPeripheral(TERMINAL_SERIAL, PeripheralKind.PRINTER, PRINTER_SERIAL)
                .addPeripheral(TERMINAL_SERIAL, PeripheralKind.SCANNER, SCANNER_SERIAL)
                .bindAccount(MERCHANT_NUMBER, settlementAccount())
                .verifications().setRegisteredPhone(MERCHANT_NUMBER, PhoneNumber.of(REGISTERED_PHONE));
        return backend.addUsageRecords(TERMINAL_SERIAL, List.of(
                        usage("T20250301000123", now.minus(Duration.ofDays(3)), 8_800, "SALE", "621700******1234"),
                        usage("T20250301000124", now.minus(Duration.ofDays(3)), 12_650, "SALE", "622848******5678"),
                        usage("T20250302000311", now.minus(Duration.ofDays(2)), -3_200, "REFUND", "621700******1234"),
                        usage("T20250303000042", now.minus(Duration.ofDays(1)), 45_000, "SALE", "625800******9012")))
                .putSetting(TERMINAL_SERIAL, "softwareVersion", "SBX-OS 3.1.0")
                .putSetting(TERMINAL_SERIAL, "receiptHeader", MERCHANT_NAME)
                .putSetting(TERMINAL_SERIAL, "language", "zh_CN")
                .putSetting(TERMINAL_SERIAL, "tipEnabled", "false")
                .addReplacementTerminal(REPLACEMENT_SERIAL, REPLACEMENT_MODEL);
    }

    private static UsageRecord usage(String reference, Instant time, long fen, String type, String maskedCard) {
        return new UsageRecord(reference, time, Money.cny(fen), type, "SETTLED", maskedCard);
    }

    /** The sandbox's default replacement catalog: three models that differ in channels, features and cost. */
    static List<TerminalCandidate> defaultCatalog() {
        return List.of(
                new TerminalCandidate("PAX A920Pro", "PAX Technology",
                        Set.of("UNIONPAY", "WECHAT", "ALIPAY"),
                        Set.of("PRINTER", "NFC", "MOBILE", "MULTI_CURRENCY"),
                        Set.of("PCI_PTS", "EMV_L2"), Money.cny(129_900), Money.cny(1_500)),
                new TerminalCandidate("Newland N910 Pro", "Newland Payment",
                        Set.of("UNIONPAY", "WECHAT", "ALIPAY"),
                        Set.of("PRINTER", "NFC", "MOBILE"),
                        Set.of("PCI_PTS", "EMV_L2"), Money.cny(99_900), Money.cny(1_000)),
                new TerminalCandidate("SUNMI P2 SE", "SUNMI",
                        Set.of("WECHAT", "ALIPAY"),
                        Set.of("PRINTER", "MOBILE"),
                        Set.of("PCI_PTS"), Money.cny(59_900), Money.cny(2_000)));
    }
}
