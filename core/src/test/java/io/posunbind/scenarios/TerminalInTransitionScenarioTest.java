package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.builderFor;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.spi.model.Document;
import io.posunbind.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Someone moved the terminal in the provider's backend a moment ago (Adyen answers a reassignment with
 * {@code reassignmentInProgress} until it completes). The case must not judge or change a terminal in
 * transition: it waits, takes the inventory again once the move settled, and only then goes on.
 */
class TerminalInTransitionScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688180";
    private static final Document REGISTRATION = new Document.BusinessRegistration("12345678",
            "Bakkerij de Vries B.V.");

    private final TerminalInventoryProvider adyenLike = new TerminalInventoryProvider()
            .withTerminal(SERIAL, "V400m", List.of(), MERCHANT);
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T09:00:00Z"));

    @Test
    void aTerminalBeingMovedAtTheProviderIsLeftAloneUntilTheMoveSettles() {
        adyenLike.moving(SERIAL, true);
        Unbinder unbinder = builderFor(adyenLike).clock(clock).pollInterval(Duration.ofMinutes(5)).build();

        CaseSnapshot waiting = unbinder.open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(REGISTRATION).build());

        assertEquals(CaseState.WAITING, waiting.state(), waiting.describe(Locale.ENGLISH));
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION));
        assertEquals(StepStatus.WAITING, waiting.steps(StepKind.TAKE_INVENTORY).get(0).status());
        assertEquals(List.of(), adyenLike.received(), "nothing is changed while the terminal is moving");

        clock.advance(Duration.ofMinutes(5));
        unbinder.runDueWork();
        assertEquals(List.of(), adyenLike.received(), "still moving: still nothing changed");

        adyenLike.moving(SERIAL, false);
        clock.advance(Duration.ofMinutes(5));
        unbinder.runDueWork();

        CaseSnapshot done = unbinder.find(waiting.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        assertEquals(StepStatus.DONE, done.steps(StepKind.TAKE_INVENTORY).get(0).status());
        unbinder.close();
    }
}
