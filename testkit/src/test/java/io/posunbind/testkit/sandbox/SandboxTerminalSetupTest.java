package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NAME;
import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalSetup;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxTerminalSetupTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final TerminalSetup replacement = new TerminalSetup(REPLACEMENT_SERIAL, REPLACEMENT_MODEL,
            MERCHANT_NUMBER, MERCHANT_NAME, Optional.empty());

    @Test
    void theReplacementIsSetUpUpdatedTestedAndTheTestVoided() {
        assertDone(sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), replacement));
        assertDone(sandbox.setup.updateSoftware(context(OperationKind.UPDATE_TERMINAL_SOFTWARE, "k-sw"),
                REPLACEMENT_SERIAL));
        String transaction = assertDone(sandbox.setup.runTestTransaction(
                context(OperationKind.RUN_TEST_TRANSACTION, "k-txn"), REPLACEMENT_SERIAL, Money.cny(1)))
                .providerReference();
        assertDone(sandbox.setup.voidTestTransaction(context(OperationKind.VOID_TEST_TRANSACTION, "k-void"),
                REPLACEMENT_SERIAL, transaction));

        Terminal terminal = sandbox.backend.terminals().terminal(REPLACEMENT_SERIAL).orElseThrow();
        assertEquals(TerminalStatus.ACTIVE, terminal.status());
        assertEquals(List.of(MERCHANT_NUMBER), terminal.boundMerchantNumbers());
        assertEquals("SBX-OS 3.2.1", sandbox.backend.terminals().settings(REPLACEMENT_SERIAL).get("softwareVersion"));
        assertTrue(sandbox.backend.merchants().registeredTerminals(MERCHANT_NUMBER).contains(REPLACEMENT_SERIAL));
        List<SandboxTestTransaction> tests = sandbox.backend.terminals().testTransactions(REPLACEMENT_SERIAL);
        assertEquals(1, tests.size());
        assertEquals(transaction, tests.get(0).reference());
        assertTrue(tests.get(0).voided());
    }

    @Test
    void onlyANewTerminalCanBeSetUp() {
        TerminalSetup onOldTerminal = new TerminalSetup(TERMINAL_SERIAL, SandboxDemoData.TERMINAL_MODEL,
                MERCHANT_NUMBER, MERCHANT_NAME, Optional.empty());

        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), onOldTerminal));
    }

    @Test
    void aSetUpForAnotherModelIsRefused() {
        TerminalSetup wrongModel = new TerminalSetup(REPLACEMENT_SERIAL, "Newland N910 Pro", MERCHANT_NUMBER,
                MERCHANT_NAME, Optional.empty());

        assertRejected(StandardErrorCode.INVALID_REQUEST,
                sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), wrongModel));
    }

    @Test
    void aSetUpCarryingAnAccountBindsItAndKeepsOnlyTheMaskedNumberInSettings() {
        SettlementAccount newAccount = new SettlementAccount(SettlementAccountKind.BANK_CARD,
                AccountNumber.of("6228480012345678903"), "张伟", "中国农业银行");
        TerminalSetup withAccount = new TerminalSetup(REPLACEMENT_SERIAL, REPLACEMENT_MODEL, MERCHANT_NUMBER,
                MERCHANT_NAME, Optional.of(newAccount));

        assertDone(sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), withAccount));

        assertEquals(Optional.of(newAccount), sandbox.backend.settlement().settlementAccount(MERCHANT_NUMBER));
        assertEquals("622848*********8903", sandbox.backend.terminals().settings(REPLACEMENT_SERIAL).get("settlementAccount"));
    }

    @Test
    void testTransactionsRunOnlyOnASetUpTerminal() {
        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, sandbox.setup.runTestTransaction(
                context(OperationKind.RUN_TEST_TRANSACTION, "k-txn"), REPLACEMENT_SERIAL, Money.cny(1)));
    }

    @Test
    void testTransactionsMustBeTiny() {
        assertDone(sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), replacement));

        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.setup.runTestTransaction(
                context(OperationKind.RUN_TEST_TRANSACTION, "k-big"), REPLACEMENT_SERIAL, Money.cny(101)));
        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.setup.runTestTransaction(
                context(OperationKind.RUN_TEST_TRANSACTION, "k-zero"), REPLACEMENT_SERIAL, Money.cny(0)));
        assertEquals(List.of(), sandbox.backend.terminals().testTransactions(REPLACEMENT_SERIAL));
    }

    @Test
    void onlyAnExistingTestTransactionCanBeVoidedAndOnlyOnce() {
        assertDone(sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), replacement));
        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.setup.voidTestTransaction(
                context(OperationKind.VOID_TEST_TRANSACTION, "k-void-0"), REPLACEMENT_SERIAL, "SBX-TXN-424242"));
        String transaction = assertDone(sandbox.setup.runTestTransaction(
                context(OperationKind.RUN_TEST_TRANSACTION, "k-txn"), REPLACEMENT_SERIAL, Money.cny(1)))
                .providerReference();

        assertDone(sandbox.setup.voidTestTransaction(context(OperationKind.VOID_TEST_TRANSACTION, "k-void-1"),
                REPLACEMENT_SERIAL, transaction));
        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.setup.voidTestTransaction(
                context(OperationKind.VOID_TEST_TRANSACTION, "k-void-2"), REPLACEMENT_SERIAL, transaction));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.VOID_TEST_TRANSACTION));
    }

    @Test
    void aTestTransactionReplayedUnderItsKeyRunsOnce() {
        assertDone(sandbox.setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), replacement));

        var first = sandbox.setup.runTestTransaction(context(OperationKind.RUN_TEST_TRANSACTION, "k-txn"),
                REPLACEMENT_SERIAL, Money.cny(1));
        var again = sandbox.setup.runTestTransaction(context(OperationKind.RUN_TEST_TRANSACTION, "k-txn"),
                REPLACEMENT_SERIAL, Money.cny(1));

        assertEquals(first, again);
        assertEquals(1, sandbox.backend.terminals().testTransactions(REPLACEMENT_SERIAL).size());
        assertFalse(sandbox.backend.terminals().testTransactions(REPLACEMENT_SERIAL).get(0).voided());
    }
}
