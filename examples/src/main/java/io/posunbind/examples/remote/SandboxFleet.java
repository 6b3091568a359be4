package io.posunbind.examples.remote;

import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UsageRecord;
import io.posunbind.validation.UnifiedSocialCreditCodeValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A numbered fleet of merchants for load and crash tests: merchant {@code i} has one active terminal
 * with one or two peripherals (a printer; a scanner too when {@code i} is even), a bank-account
 * settlement account, two usage records, nothing unsettled, and a new replacement terminal waiting to be
 * set up. Every identifier is derived from {@code i}, so the process that seeds the sandbox and the
 * processes that open cases agree without talking to each other.
 *
 * <p>The identifiers are well formed (unified social credit codes carry a correct check character) and
 * belong to nobody. Thread-safe: constants and pure functions only.
 */
public final class SandboxFleet {

    /** The largest fleet: identifiers have room for this many merchants. */
    public static final int MAX_MERCHANTS = 10_000_000;

    /** The old terminals' model. */
    public static final String TERMINAL_MODEL = "PAX A920";
    /** The replacement terminals' model, which is in the sandbox's catalog. */
    public static final String REPLACEMENT_MODEL = "PAX A920Pro";

    private static final String BANK = "中国建设银行上海分行";

    private SandboxFleet() {
    }

    /** Merchant {@code i}'s merchant number (商户号), 15 digits. */
    public static String merchantNumber(int i) {
        return "8983100" + digits(i, 8);
    }

    /** Merchant {@code i}'s registered name. */
    public static String merchantName(int i) {
        return "上海示例商户第" + i + "号店";
    }

    /** Merchant {@code i}'s legal representative. */
    public static String legalRepresentativeName(int i) {
        return "法人" + i;
    }

    /** Merchant {@code i}'s unified social credit code, with a correct check character. */
    public static String unifiedSocialCreditCode(int i) {
        String first17 = "91310000MA" + digits(i, 7);
        return first17 + UnifiedSocialCreditCodeValidator.checkCharacter(first17);
    }

    /** The serial number of merchant {@code i}'s terminal, the one to unbind. */
    public static String terminalSerial(int i) {
        return "82" + digits(i, 8);
    }

    /** The serial number of merchant {@code i}'s replacement terminal. */
    public static String replacementSerial(int i) {
        return "11" + digits(i, 8);
    }

    /** How many peripherals merchant {@code i}'s terminal has: 2 when {@code i} is even, else 1. */
    public static int peripheralCount(int i) {
        return i % 2 == 0 ? 2 : 1;
    }

    /** The account merchant {@code i} settles to now. */
    public static SettlementAccount settlementAccount(int i) {
        return new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT, AccountNumber.of("3105016137" + digits(i, 10)),
                merchantName(i), BANK);
    }

    /** The account merchant {@code i} moves to with its replacement terminal. */
    public static SettlementAccount newSettlementAccount(int i) {
        return new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT, AccountNumber.of("4405016137" + digits(i, 10)),
                merchantName(i), BANK);
    }

    /**
     * How many effects a case that unbinds all three bindings of merchant {@code i}'s terminal and sets up
     * its replacement leaves at the sandbox: the application, one per peripheral, disable, unbind,
     * settlement account, merchant info, decommission, and set-up, software update, test transaction and
     * its void on the replacement.
     */
    public static int expectedEffects(int i) {
        return 10 + peripheralCount(i);
    }

    /**
     * Seeds merchants {@code from} (inclusive) to {@code to} (exclusive) into a backend.
     *
     * @return the same backend
     * @throws IllegalArgumentException when the range is empty, out of bounds, or already seeded
     */
    public static SandboxBackend seed(SandboxBackend backend, int from, int to) {
        if (from < 0 || to <= from || to > MAX_MERCHANTS) {
            throw new IllegalArgumentException("Seed a range within [0, " + MAX_MERCHANTS + "), was [" + from + ", "
                    + to + ")");
        }
        Instant now = backend.clock().instant();
        for (int i = from; i < to; i++) {
            String merchant = merchantNumber(i);
            String serial = terminalSerial(i);
            backend.addMerchant(merchant, merchantName(i), unifiedSocialCreditCode(i), legalRepresentativeName(i))
                    .addTerminal(serial, TERMINAL_MODEL, TerminalStatus.ACTIVE, Optional.of("STORE-" + digits(i, 8)),
                            List.of(merchant))
                    .addPeripheral(serial, PeripheralKind.PRINTER, "PRT-" + digits(i, 8))
                    .bindAccount(merchant, settlementAccount(i))
                    .addUsageRecords(serial, List.of(
                            new UsageRecord("T" + digits(i, 8) + "01", now.minus(Duration.ofDays(2)), Money.cny(8_800),
                                    "SALE", "SETTLED", "621700******1234"),
                            new UsageRecord("T" + digits(i, 8) + "02", now.minus(Duration.ofDays(1)),
                                    Money.cny(-1_200), "REFUND", "SETTLED", "621700******1234")))
                    .putSetting(serial, "softwareVersion", "SBX-OS 3.1.0")
                    .addReplacementTerminal(replacementSerial(i), REPLACEMENT_MODEL);
            if (peripheralCount(i) == 2) {
                backend.addPeripheral(serial, PeripheralKind.SCANNER, "SCN-" + digits(i, 8));
            }
        }
        return backend;
    }

    /**
     * What is not as it should be at the sandbox once merchants {@code from} to {@code to} (exclusive) went
     * through a full unbind with replacement: the old terminal decommissioned with no peripherals, the
     * replacement active, the new settlement account bound, one test transaction, voided. Empty when all
     * is in order.
     */
    public static List<String> problemsAfterFullUnbind(SandboxBackend backend, int from, int to) {
        List<String> problems = new java.util.ArrayList<>();
        for (int i = from; i < to; i++) {
            String merchant = merchantNumber(i);
            var old = backend.terminals().terminal(terminalSerial(i)).orElseThrow();
            if (old.status() != TerminalStatus.DECOMMISSIONED || !old.peripherals().isEmpty()) {
                problems.add("merchant " + i + ": old terminal is " + old.status() + " with "
                        + old.peripherals().size() + " peripherals");
            }
            var replacement = backend.terminals().terminal(replacementSerial(i)).orElseThrow();
            if (replacement.status() != TerminalStatus.ACTIVE) {
                problems.add("merchant " + i + ": replacement is " + replacement.status());
            }
            if (!backend.settlement().settlementAccount(merchant).equals(Optional.of(newSettlementAccount(i)))) {
                problems.add("merchant " + i + ": the new settlement account is not the one bound");
            }
            var tests = backend.terminals().testTransactions(replacementSerial(i));
            if (tests.size() != 1 || !tests.get(0).voided()) {
                problems.add("merchant " + i + ": " + tests.size() + " test transactions, voided: "
                        + tests.stream().map(t -> t.voided()).toList());
            }
        }
        return problems;
    }

    private static String digits(int value, int width) {
        if (value < 0 || value >= MAX_MERCHANTS) {
            throw new IllegalArgumentException("A fleet index lies in [0, " + MAX_MERCHANTS + "), was " + value);
        }
        return String.format("%0" + width + "d", value);
    }
}
