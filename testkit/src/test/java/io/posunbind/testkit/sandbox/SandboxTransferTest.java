package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxTransferTest {

    static final String NEW_MERCHANT = "898310058120002";
    static final String NEW_MERCHANT_NAME = "上海示例咖啡有限公司";
    private static final String NEW_STORE = "STORE-SH-0002";
    private static final String UNBOUND_SERIAL = "0820000003";

    private final SandboxFixture sandbox = new SandboxFixture();
    private final TerminalTransferAdapter transfers = sandbox.provider.transferAdapter().orElseThrow();
    private final OperationContext bind = context(OperationKind.BIND_TERMINAL, "case-0001.bind.1");

    SandboxTransferTest() {
        sandbox.backend.addMerchant(NEW_MERCHANT, NEW_MERCHANT_NAME, "91110000802100433B", "李娜")
                .addTerminal(UNBOUND_SERIAL, "PAX A920", TerminalStatus.UNBOUND, Optional.empty(), List.of());
    }

    @Test
    void aTerminalUnboundFromItsMerchantIsBoundToTheNewOneAtItsStore() {
        sandbox.unbindPeripheralsAndDisable();
        assertDone(sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "case-0001.unbind.1"),
                TERMINAL_SERIAL));

        assertDone(transfers.bindTerminal(bind, TERMINAL_SERIAL, NEW_MERCHANT, Optional.of(NEW_STORE)));

        Terminal terminal = sandbox.devices.readTerminal(TERMINAL_SERIAL);
        assertEquals(TerminalStatus.ACTIVE, terminal.status());
        assertEquals(List.of(NEW_MERCHANT), terminal.boundMerchantNumbers());
        assertEquals(Optional.of(NEW_STORE), terminal.storeId());
        assertTrue(sandbox.backend.merchants().registeredTerminals(NEW_MERCHANT).contains(TERMINAL_SERIAL));
        assertEquals(1, sandbox.backend.merchants().merchant(NEW_MERCHANT).orElseThrow().activeTerminalCount());
        assertEquals(0, sandbox.backend.merchants().merchant(MERCHANT_NUMBER).orElseThrow().activeTerminalCount());
        assertEquals(NEW_MERCHANT_NAME, sandbox.backend.terminals().settings(TERMINAL_SERIAL).get("receiptHeader"));
    }

    @Test
    void aTerminalWithoutAStoreIsBoundToTheMerchantOnly() {
        assertDone(transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));

        Terminal terminal = sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow();
        assertEquals(List.of(NEW_MERCHANT), terminal.boundMerchantNumbers());
        assertEquals(Optional.empty(), terminal.storeId());
    }

    @Test
    void theSameKeyReplaysTheBindWithOneEffectAndTheLookupFindsIt() {
        OperationContext retry = bind.withAttempt(2);

        OperationOutcome first = transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.of(NEW_STORE));
        OperationOutcome replay = transfers.bindTerminal(retry, UNBOUND_SERIAL, NEW_MERCHANT, Optional.of(NEW_STORE));

        assertDone(first);
        assertEquals(first, replay);
        assertEquals(Optional.of(first), transfers.lookup(bind.operation()));
        assertEquals(1, sandbox.backend.requests().effectCount(bind.idempotencyKey()));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.BIND_TERMINAL));
        assertEquals(2, sandbox.backend.requests().callsFor(OperationKind.BIND_TERMINAL));
        assertEquals(List.of(NEW_MERCHANT), sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow()
                .boundMerchantNumbers());
    }

    @Test
    void theSameKeyForAnotherMerchantOrStoreIsRejectedAsReused() {
        sandbox.backend.addMerchant("898310058120003", "上海示例书店有限公司", "91310000MA1FL4B24G", "王芳");
        assertDone(transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));

        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, "898310058120003", Optional.empty()));
        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.of(NEW_STORE)));

        Terminal terminal = sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow();
        assertEquals(List.of(NEW_MERCHANT), terminal.boundMerchantNumbers());
        assertEquals(Optional.empty(), terminal.storeId());
    }

    @Test
    void aTerminalStillBoundToItsMerchantIsNotBoundToASecondOne() {
        OperationOutcome.Rejected active = assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                transfers.bindTerminal(bind, TERMINAL_SERIAL, NEW_MERCHANT, Optional.empty()));
        sandbox.unbindPeripheralsAndDisable();
        OperationOutcome.Rejected disabled = assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                transfers.bindTerminal(context(OperationKind.BIND_TERMINAL, "k-bind-2"), TERMINAL_SERIAL,
                        NEW_MERCHANT, Optional.empty()));

        assertEquals("SBX-TERMINAL-STILL-BOUND", active.providerCode());
        assertEquals("SBX-TERMINAL-STILL-BOUND", disabled.providerCode());
        assertEquals(List.of(MERCHANT_NUMBER), sandbox.devices.readTerminal(TERMINAL_SERIAL).boundMerchantNumbers());
        assertEquals(List.of(), List.copyOf(sandbox.backend.merchants().registeredTerminals(NEW_MERCHANT)));
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.BIND_TERMINAL));
    }

    @Test
    void aTransferredTerminalIsNotBoundAgainToAnotherMerchant() {
        sandbox.backend.addMerchant("898310058120003", "上海示例书店有限公司", "91310000MA1FL4B24G", "王芳");
        assertDone(transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));

        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, transfers.bindTerminal(
                context(OperationKind.BIND_TERMINAL, "k-bind-again"), UNBOUND_SERIAL, "898310058120003",
                Optional.empty()));

        assertEquals(List.of(NEW_MERCHANT), sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow()
                .boundMerchantNumbers());
    }

    @Test
    void onlyAnUnboundTerminalCanBeBound() {
        OperationOutcome.Rejected fresh = assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                transfers.bindTerminal(bind, REPLACEMENT_SERIAL, NEW_MERCHANT, Optional.empty()));
        assertEquals("SBX-TERMINAL-NOT-UNBOUND", fresh.providerCode());

        assertDone(sandbox.devices.decommissionTerminal(context(OperationKind.DECOMMISSION_TERMINAL, "k-dec"),
                UNBOUND_SERIAL));
        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, transfers.bindTerminal(
                context(OperationKind.BIND_TERMINAL, "k-bind-dec"), UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));
        assertEquals(TerminalStatus.NEW, sandbox.backend.terminals().terminal(REPLACEMENT_SERIAL).orElseThrow().status());
    }

    @Test
    void anUnboundTerminalSeededWithAMerchantIsStillNotGivenASecondOne() {
        sandbox.backend.bindTerminalToMerchant(UNBOUND_SERIAL, MERCHANT_NUMBER);

        assertEquals("SBX-TERMINAL-STILL-BOUND", assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty())).providerCode());
        assertEquals(List.of(MERCHANT_NUMBER), sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow()
                .boundMerchantNumbers());
    }

    @Test
    void theTargetMerchantAndTheTerminalMustExist() {
        assertRejected(StandardErrorCode.MERCHANT_NOT_FOUND,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, "898310058129999", Optional.empty()));
        assertRejected(StandardErrorCode.TERMINAL_NOT_FOUND, transfers.bindTerminal(
                context(OperationKind.BIND_TERMINAL, "k-bind-nope"), "0820999999", NEW_MERCHANT, Optional.empty()));
        assertDone(sandbox.merchantInfo.deleteMerchantInfo(context(OperationKind.DELETE_MERCHANT_INFO, "k-del"),
                NEW_MERCHANT));
        assertRejected(StandardErrorCode.MERCHANT_NOT_FOUND, transfers.bindTerminal(
                context(OperationKind.BIND_TERMINAL, "k-bind-deleted"), UNBOUND_SERIAL, NEW_MERCHANT,
                Optional.empty()));

        assertEquals(TerminalStatus.UNBOUND, sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow().status());
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.BIND_TERMINAL));
    }

    @Test
    void aTimedOutBindTookEffectOnceAndTheLookupFindsIt() {
        sandbox.backend.faults().timeOutNext(OperationKind.BIND_TERMINAL);

        assertInstanceOf(OperationOutcome.Unknown.class,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));

        OperationOutcome.Done found = assertDone(transfers.lookup(bind.operation()).orElseThrow());
        assertEquals(found, transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));
        assertEquals(1, sandbox.backend.requests().effectCount(bind.idempotencyKey()));
    }

    @Test
    void transientAndLostBindsLeaveTheTerminalUnbound() {
        sandbox.backend.faults().failNextTransiently(OperationKind.BIND_TERMINAL, 1).loseNext(OperationKind.BIND_TERMINAL);

        assertInstanceOf(OperationOutcome.RetryableFailure.class,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));
        assertInstanceOf(OperationOutcome.Unknown.class,
                transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));

        assertEquals(TerminalStatus.UNBOUND, sandbox.backend.terminals().terminal(UNBOUND_SERIAL).orElseThrow().status());
        assertEquals(Optional.empty(), transfers.lookup(bind.operation()));
        assertDone(transfers.bindTerminal(bind, UNBOUND_SERIAL, NEW_MERCHANT, Optional.empty()));
        assertEquals(1, sandbox.backend.requests().effectCount(bind.idempotencyKey()));
    }
}
