package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.builderFor;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.model.Document;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The provider answers "409, another operation on the terminal is in progress": a refusal for now, with a
 * retryable code. As OperationOutcome documents, the engine waits, looks the operation up under its key,
 * and sends it again under the same key only if the lookup finds nothing.
 */
class RefusalsForNowScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688210";

    private final MovableClock clock = new MovableClock(UnbindingHarness.CLOCK.instant());

    @Test
    void aRefusalForNowWhoseLookupFindsTheOperationDoneIsNotSentAgain() {
        TerminalInventoryProvider provider = terminal().refusingOnceForNow(OperationKind.UNBIND_TERMINAL, true);

        CaseSnapshot unbound = unbindWithARetry(provider);

        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(List.of(OperationKind.UNBIND_TERMINAL), provider.received(), "sent once, found by the lookup");
    }

    @Test
    void aRefusalForNowWhoseLookupFindsNothingIsSentAgainUnderTheSameKey() {
        TerminalInventoryProvider provider = terminal().refusingOnceForNow(OperationKind.UNBIND_TERMINAL, false);

        CaseSnapshot unbound = unbindWithARetry(provider);

        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(List.of(OperationKind.UNBIND_TERMINAL, OperationKind.UNBIND_TERMINAL), provider.received());
        assertEquals(provider.receivedKeys().get(0), provider.receivedKeys().get(1), "a repetition, not a new request");
    }

    private CaseSnapshot unbindWithARetry(TerminalInventoryProvider provider) {
        try (Unbinder unbinder = builderFor(provider).clock(clock).build()) {
            CaseSnapshot refused = unbinder.open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                    .documents(new Document.BusinessRegistration("12345678", "Bakkerij de Vries B.V.")).build());
            assertTrue(refused.isWaitingFor(WaitReason.RETRY), refused.describe(Locale.ENGLISH));
            clock.advance(Duration.ofHours(1));
            unbinder.runDueWork();
            return unbinder.find(refused.id()).orElseThrow();
        }
    }

    private static TerminalInventoryProvider terminal() {
        return new TerminalInventoryProvider().withTerminal(SERIAL, "V400m", List.of(), MERCHANT);
    }
}
