package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.TerminalStatus;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxFaultInjectionTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final OperationContext disable = context(OperationKind.DISABLE_TERMINAL, "case-0001.disable.1");

    @Test
    void transientFailuresLeaveNoEffectAndTheSameKeyThenSucceedsOnce() {
        sandbox.backend.faults().failNextTransiently(OperationKind.DISABLE_TERMINAL, 2);

        for (int attempt = 1; attempt <= 2; attempt++) {
            OperationOutcome outcome = sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL);
            OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class,
                    outcome);
            assertEquals("SBX-503", failure.providerCode());
            assertEquals(TerminalStatus.ACTIVE, sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
            assertEquals(Optional.empty(), sandbox.devices.lookup(disable.operation()));
        }
        assertDone(sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));

        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
        assertEquals(3, sandbox.backend.requests().callsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aTimeoutPerformsTheEffectAnswersUnknownAndTheLookupFindsIt() {
        sandbox.backend.faults().timeOutNext(OperationKind.DISABLE_TERMINAL);

        OperationOutcome outcome = sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL);

        assertInstanceOf(OperationOutcome.Unknown.class, outcome);
        assertEquals(TerminalStatus.DISABLED, sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        OperationOutcome.Done found = assertDone(sandbox.devices.lookup(disable.operation()).orElseThrow());
        // Sending again after reconciling replays the answer: still one effect.
        assertEquals(found, sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));
        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
    }

    @Test
    void aTimeoutCanAlsoSurfaceAsAnExceptionFromTheHttpClient() {
        sandbox.backend.faults().timeOutNextWithException(OperationKind.DISABLE_TERMINAL);

        UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
                () -> sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));

        assertInstanceOf(SocketTimeoutException.class, thrown.getCause());
        assertDone(sandbox.devices.lookup(disable.operation()).orElseThrow());
        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
    }

    @Test
    void aTimedOutPendingOperationIsFoundPendingByTheLookup() {
        OperationContext unbind = context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "case-0001.account.1");
        sandbox.backend.faults().timeOutNext(OperationKind.UNBIND_SETTLEMENT_ACCOUNT);

        assertInstanceOf(OperationOutcome.Unknown.class, sandbox.accounts.unbindSettlementAccount(unbind,
                MERCHANT_NUMBER, SandboxDemoData.settlementAccount()));

        assertPending(sandbox.accounts.lookup(unbind.operation()).orElseThrow());
        assertEquals(1, sandbox.backend.reviews().pendingReferences().size());
    }

    @Test
    void aLostCallHasNoEffectAndTheLookupFindsNothing() {
        sandbox.backend.faults().loseNext(OperationKind.DISABLE_TERMINAL);

        assertInstanceOf(OperationOutcome.Unknown.class, sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));

        assertEquals(TerminalStatus.ACTIVE, sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        assertEquals(Optional.empty(), sandbox.devices.lookup(disable.operation()));
        assertDone(sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));
        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
    }

    @Test
    void faultsOfOneKindDoNotTouchOtherKinds() {
        sandbox.backend.faults().loseNext(OperationKind.UNBIND_TERMINAL);

        assertDone(sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));
    }

    @Test
    void faultsTriggerInTheOrderTheyWereQueued() {
        sandbox.backend.faults().failNextTransiently(OperationKind.DISABLE_TERMINAL, 1).timeOutNext(OperationKind.DISABLE_TERMINAL);

        assertInstanceOf(OperationOutcome.RetryableFailure.class, sandbox.devices.disableTerminal(disable,
                TERMINAL_SERIAL));
        assertInstanceOf(OperationOutcome.Unknown.class, sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));
        assertDone(sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));
        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
    }

    @Test
    void readsAndLookupsCanFailAsUnavailable() {
        sandbox.backend.faults().failNextReads(1).failNextLookups(1);

        ProviderException read = assertThrows(ProviderException.class,
                () -> sandbox.devices.exportTerminalData(TERMINAL_SERIAL));
        ProviderException lookup = assertThrows(ProviderException.class,
                () -> sandbox.devices.lookup(disable.operation()));

        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, read.errorCode());
        assertEquals(true, read.retryable());
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, lookup.errorCode());
        assertEquals(TERMINAL_SERIAL, sandbox.devices.exportTerminalData(TERMINAL_SERIAL).serialNumber());
        assertEquals(Optional.empty(), sandbox.devices.lookup(disable.operation()));
    }

    @Test
    void clearedFaultsNoLongerTrigger() {
        sandbox.backend.faults().loseNext(OperationKind.DISABLE_TERMINAL).failNextReads(3).clearFaults();

        assertDone(sandbox.devices.disableTerminal(disable, TERMINAL_SERIAL));
        assertEquals(TerminalStatus.DISABLED, sandbox.devices.readTerminal(TERMINAL_SERIAL).status());
    }
}
