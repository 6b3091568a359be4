package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static io.posunbind.testkit.sandbox.SandboxFixture.key;
import static io.posunbind.testkit.sandbox.SandboxFixture.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.TerminalStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxIdempotencyTest {

    private final SandboxFixture sandbox = new SandboxFixture();

    @Test
    void theSameKeyReplaysTheFirstAnswerWithoutASecondEffect() {
        OperationContext first = context(OperationKind.DISABLE_TERMINAL, "case-0001.disable.1");
        OperationContext retry = first.withAttempt(2);

        OperationOutcome answer = sandbox.devices.disableTerminal(first, TERMINAL_SERIAL);
        OperationOutcome replay = sandbox.devices.disableTerminal(retry, TERMINAL_SERIAL);

        assertDone(answer);
        assertEquals(answer, replay);
        assertEquals(1, sandbox.backend.requests().effectCount(first.idempotencyKey()));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(2, sandbox.backend.requests().callsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(TerminalStatus.DISABLED, sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
    }

    @Test
    void theSameKeyWithOtherParametersIsRejectedAsReused() {
        sandbox.backend.addTerminal("0820000002", "PAX A920", MERCHANT_NUMBER);
        OperationContext context = context(OperationKind.DISABLE_TERMINAL, "k-disable");
        assertDone(sandbox.devices.disableTerminal(context, TERMINAL_SERIAL));

        OperationOutcome reuse = sandbox.devices.disableTerminal(context, "0820000002");

        OperationOutcome.Rejected rejected = assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, reuse);
        assertEquals("SBX-IDEMPOTENCY-REUSED", rejected.providerCode());
        assertEquals(TerminalStatus.ACTIVE, sandbox.backend.terminals().terminal("0820000002").orElseThrow().status());
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void theSameKeyForAnotherKindOfOperationIsRejectedAsReused() {
        assertDone(sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-shared"),
                TERMINAL_SERIAL));

        OperationOutcome reuse = sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-shared"),
                TERMINAL_SERIAL);

        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, reuse);
        assertEquals(0, sandbox.backend.requests().effectsFor(OperationKind.UNBIND_TERMINAL));
    }

    @Test
    void theSameKeyFromAnotherCaseIsRejectedAsReused() {
        OperationContext ours = context(OperationKind.DISABLE_TERMINAL, "k-case");
        assertDone(sandbox.devices.disableTerminal(ours, TERMINAL_SERIAL));

        OperationOutcome other = sandbox.devices.disableTerminal(
                new OperationContext(ours.operation(), "case-0002", 1, ours.locale(), ours.timeBudget()),
                TERMINAL_SERIAL);

        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, other);
    }

    @Test
    void aContextOfAnotherKindIsRefusedBeforeAnythingHappens() {
        OperationOutcome outcome = sandbox.devices.disableTerminal(
                context(OperationKind.UNBIND_TERMINAL, "k-wrong-kind"), TERMINAL_SERIAL);

        assertRejected(StandardErrorCode.INVALID_REQUEST, outcome);
        assertEquals(TerminalStatus.ACTIVE, sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        assertEquals(Optional.empty(), sandbox.devices.lookup(
                sent("k-wrong-kind", OperationKind.UNBIND_TERMINAL, Optional.empty())));
    }

    @Test
    void aFinalRejectionIsRememberedAndReplayedUnderItsKey() {
        OperationContext context = context(OperationKind.UNBIND_TERMINAL, "k-unbind-active");
        assertRejected(StandardErrorCode.TERMINAL_ACTIVE, sandbox.devices.unbindTerminal(context, TERMINAL_SERIAL));
        sandbox.unbindPeripheralsAndDisable();

        // Stripe-like: the key keeps its first answer even though the guard would now pass.
        assertRejected(StandardErrorCode.TERMINAL_ACTIVE, sandbox.devices.unbindTerminal(context, TERMINAL_SERIAL));
        assertRejected(StandardErrorCode.TERMINAL_ACTIVE,
                sandbox.devices.lookup(context.operation()).orElseThrow());
        // A new key is a new request, which now succeeds.
        assertDone(sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unbind-2"),
                TERMINAL_SERIAL));
        assertEquals(0, sandbox.backend.requests().effectCount(context.idempotencyKey()));
    }

    @Test
    void aRetryableRefusalIsNotRememberedSoTheSameKeySucceedsAfterSettlement() {
        sandbox.backend.settlement().setUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL, Money.cny(12_000), 1);
        OperationContext context = context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "k-account");

        OperationOutcome.Rejected refused = assertRejected(StandardErrorCode.FUNDS_UNSETTLED,
                sandbox.accounts.unbindSettlementAccount(context, MERCHANT_NUMBER, SandboxDemoData.settlementAccount()));
        assertEquals(true, refused.code().retryable());
        assertEquals(Optional.empty(), sandbox.accounts.lookup(context.operation()));

        sandbox.backend.settlement().settleAll(MERCHANT_NUMBER);
        assertPending(sandbox.accounts.unbindSettlementAccount(context, MERCHANT_NUMBER,
                SandboxDemoData.settlementAccount()));
        assertEquals(1, sandbox.backend.requests().effectCount(context.idempotencyKey()));
    }

    @Test
    void aProviderThatIgnoresKeysPerformsEveryRequestAgain() {
        sandbox.backend.requests().setHonoursIdempotencyKeys(false);
        IdempotencyKey key = key("k-keyless");
        OperationContext context = context(OperationKind.DISABLE_TERMINAL, key.value());

        assertDone(sandbox.devices.disableTerminal(context, TERMINAL_SERIAL));
        // PAXSTORE-like: the second request is performed again and meets the state guard.
        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                sandbox.devices.disableTerminal(context, TERMINAL_SERIAL));

        assertFalse(sandbox.provider.honoursIdempotencyKeys());
        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                sandbox.devices.lookup(context.operation()).orElseThrow());
    }

    @Test
    void aLookupOfAKeyUsedForAnotherKindSaysSo() {
        assertDone(sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-lookup"),
                TERMINAL_SERIAL));

        Optional<OperationOutcome> found = sandbox.devices.lookup(
                sent("k-lookup", OperationKind.UNBIND_TERMINAL, Optional.empty()));

        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, found.orElseThrow());
    }
}
