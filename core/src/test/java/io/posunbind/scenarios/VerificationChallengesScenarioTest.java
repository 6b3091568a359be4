package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.OPERATOR;
import static io.posunbind.scenarios.UnbindingHarness.builderFor;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
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
 * The provider asks the merchant for an SMS code before it unbinds the terminal. The first SMS is sent, but
 * the provider's answer times out; the provider remembers idempotency keys only for a minute. The engine
 * must look the challenge up rather than send it again past that retention: the merchant gets one SMS.
 */
class VerificationChallengesScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688200";

    @Test
    void anSmsWhoseSendingTimedOutIsLookedUpPastTheProvidersKeyRetentionNeverSentAgain() {
        TerminalInventoryProvider provider = new TerminalInventoryProvider()
                .withTerminal(SERIAL, "V400m", List.of(), MERCHANT).withSmsVerification(Duration.ofMinutes(1));
        MovableClock clock = new MovableClock(UnbindingHarness.CLOCK.instant());
        Unbinder unbinder = builderFor(provider).clock(clock).build();

        CaseSnapshot opened = unbinder.open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(new Document.BusinessRegistration("12345678", "Bakkerij de Vries B.V.")).build());
        assertTrue(opened.isWaitingFor(WaitReason.RETRY), opened.describe(Locale.ENGLISH));
        assertEquals(1, provider.smsSent());

        clock.advance(Duration.ofHours(1));
        unbinder.runDueWork();
        CaseSnapshot challenged = unbinder.find(opened.id()).orElseThrow();
        assertTrue(challenged.isWaitingFor(WaitReason.VERIFICATION), challenged.describe(Locale.ENGLISH));
        assertEquals(1, provider.smsSent(), "the merchant received one SMS");

        CaseSnapshot unbound = unbinder.answerVerification(opened.id(), OPERATOR, "246810");
        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(1, provider.smsSent());
        unbinder.close();
    }
}
