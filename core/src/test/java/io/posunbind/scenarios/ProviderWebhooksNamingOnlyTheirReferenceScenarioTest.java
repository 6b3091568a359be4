package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.CLOCK;
import static io.posunbind.scenarios.UnbindingHarness.builderFor;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.model.Document;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A terminal-management API reassigns a terminal asynchronously and posts a webhook when it is done, naming
 * the operation only by its own reference, or, when it gave none (Adyen answers an empty 200), by the
 * idempotency key the engine sent. The webhook must find the case that waits for it, also when it overtakes
 * the commit of the pending answer, and never be confused by closed cases that once had the same reference.
 */
class ProviderWebhooksNamingOnlyTheirReferenceScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688190";
    private static final Document REGISTRATION = new Document.BusinessRegistration("12345678",
            "Bakkerij de Vries B.V.");

    @TempDir
    Path folder;

    private JdbcCaseStore h2;
    private Unbinder unbinder;

    @AfterEach
    void close() {
        if (unbinder != null) {
            unbinder.close();
        }
        if (h2 != null) {
            h2.close();
        }
    }

    @Test
    void aReassignmentAcceptedWithoutAReferenceIsCompletedByAWebhookNamingTheEnginesKey() {
        TerminalInventoryProvider provider = terminalAt().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.pending(Duration.ofHours(1)));
        unbinder = unbinder(provider, new InMemoryCaseStore());

        CaseSnapshot waiting = unbinder.open(request());
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION), waiting.describe(Locale.ENGLISH));
        String key = provider.receivedKeys().get(0);

        unbinder.acceptNotification(TerminalInventoryProvider.ID,
                TerminalInventoryProvider.webhook("evt-1", CLOCK.instant(), true, key));
        unbinder.runDueWork();

        CaseSnapshot unbound = unbinder.find(waiting.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
        assertEquals(StepStatus.DONE, unbound.steps(StepKind.UNBIND_TERMINAL).get(0).status());
    }

    @Test
    void theAuditTrailRecordsWhoSignedAnAcceptedWebhook() {
        TerminalInventoryProvider provider = terminalAt().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.pending("REASSIGN-" + SERIAL, Duration.ofHours(1)));
        InMemoryAuditStore audit = new InMemoryAuditStore();
        unbinder = builderFor(provider).callbackVerifier(CallbackVerifier.builder()
                .nativeNotifications(TerminalInventoryProvider.ID).clock(CLOCK).build())
                .auditTrail(AuditTrail.builder().store(audit).keys(FileAuditKeyProvider.generate(folder.resolve(
                        "keys"), "audit-1")).clock(CLOCK).build()).build();
        CaseSnapshot waiting = unbinder.open(request());

        unbinder.acceptNotification(TerminalInventoryProvider.ID,
                TerminalInventoryProvider.webhook("evt-1", CLOCK.instant(), false, "REASSIGN-" + SERIAL));

        AuditRecord accepted = audit.readByCase(waiting.id().value()).stream()
                .filter(record -> record.eventType().equals(AuditEventTypes.CALLBACK_ACCEPTED)).findFirst()
                .orElseThrow();
        assertEquals("nonce evt-1, signed by inventory-webhooks", accepted.detail());
    }

    @Test
    void aGenuineWebhookAboutNoCaseIsAcknowledgedAuditedAndChangesNothingSoTheProviderStopsResendingIt() {
        TerminalInventoryProvider provider = terminalAt().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.pending("REASSIGN-" + SERIAL, Duration.ofHours(1)));
        InMemoryAuditStore audit = new InMemoryAuditStore();
        unbinder = builderFor(provider).callbackVerifier(CallbackVerifier.builder()
                .nativeNotifications(TerminalInventoryProvider.ID).clock(CLOCK).build())
                .auditTrail(AuditTrail.builder().store(audit).keys(FileAuditKeyProvider.generate(folder.resolve(
                        "keys"), "audit-1")).clock(CLOCK).build()).build();
        CaseSnapshot waiting = unbinder.open(request());
        var settingsChanged = TerminalInventoryProvider.unrelatedWebhook("evt-9", CLOCK.instant(),
                "terminalSettings.modified");

        CallbackRejectedException acknowledged = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptNotification(TerminalInventoryProvider.ID, settingsChanged));
        assertEquals(CoreErrorCode.CALLBACK_CONCERNS_NO_CASE, acknowledged.errorCode());
        assertFalse(acknowledged.retryable(), "answered 200: the provider must not send it again");
        CallbackRejectedException resent = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptNotification(TerminalInventoryProvider.ID, settingsChanged));
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, resent.errorCode(), "its id was spent");

        CaseSnapshot after = unbinder.find(waiting.id()).orElseThrow();
        assertEquals(waiting.version(), after.version(), "the waiting case is untouched");
        assertTrue(after.isWaitingFor(WaitReason.PROVIDER_OPERATION));
        assertTrue(audit.readAfter(0, 1_000).stream().anyMatch(record -> record.eventType()
                .equals(AuditEventTypes.CALLBACK_ACCEPTED) && record.detail()
                .equals("nonce evt-9, event terminalSettings.modified concerns no case")), "audited");
    }

    @Test
    void aWebhookThatOvertakesThePendingAnswerIsRefusedForNowAndTheProvidersRetryCompletesTheCase() {
        aWebhookThatOvertakesThePendingAnswerIsAcceptedOnRetry(new InMemoryCaseStore());
    }

    @Test
    void aWebhookThatOvertakesThePendingAnswerIsAcceptedOnRetryOnTheDurableStore() {
        h2 = JdbcCaseStore.h2File(folder.resolve("db"));
        aWebhookThatOvertakesThePendingAnswerIsAcceptedOnRetry(h2);
    }

    private void aWebhookThatOvertakesThePendingAnswerIsAcceptedOnRetry(CaseStore store) {
        TerminalInventoryProvider provider = terminalAt().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.pending("REASSIGN-" + SERIAL, Duration.ofHours(1)));
        unbinder = unbinder(provider, store);
        var webhook = TerminalInventoryProvider.webhook("evt-1", CLOCK.instant(), false, "REASSIGN-" + SERIAL);

        CallbackRejectedException early = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptNotification(TerminalInventoryProvider.ID, webhook));
        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE, early.errorCode());
        assertTrue(early.retryable(), "answered 503: the provider sends it again");

        CaseSnapshot waiting = unbinder.open(request());
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION), waiting.describe(Locale.ENGLISH));
        unbinder.acceptNotification(TerminalInventoryProvider.ID, webhook);
        unbinder.runDueWork();

        assertEquals(CaseState.COMPLETED, unbinder.find(waiting.id()).orElseThrow().state());
    }

    @Test
    void aClosedCaseWithTheSameReferenceDoesNotHideTheCaseThatWaitsForTheWebhook() {
        aClosedCaseWithTheSameReferenceDoesNotHideTheWaitingCase(new InMemoryCaseStore());
    }

    @Test
    void aClosedCaseWithTheSameReferenceDoesNotHideTheWaitingCaseOnTheDurableStore() {
        h2 = JdbcCaseStore.h2File(folder.resolve("db"));
        aClosedCaseWithTheSameReferenceDoesNotHideTheWaitingCase(h2);
    }

    private void aClosedCaseWithTheSameReferenceDoesNotHideTheWaitingCase(CaseStore store) {
        // The provider names a reassignment after the terminal: the second unbind of the terminal has the
        // same reference as the first.
        TerminalInventoryProvider provider = terminalAt().answering(OperationKind.UNBIND_TERMINAL,
                OperationOutcome.pending("REASSIGN-" + SERIAL, Duration.ofHours(1)));
        unbinder = unbinder(provider, store);
        CaseSnapshot first = unbinder.open(request());
        unbinder.acceptNotification(TerminalInventoryProvider.ID,
                TerminalInventoryProvider.webhook("evt-1", CLOCK.instant(), false, "REASSIGN-" + SERIAL));
        unbinder.runDueWork();
        assertEquals(CaseState.COMPLETED, unbinder.find(first.id()).orElseThrow().state());

        CaseSnapshot second = unbinder.open(request());
        assertTrue(second.isWaitingFor(WaitReason.PROVIDER_OPERATION), second.describe(Locale.ENGLISH));
        unbinder.acceptNotification(TerminalInventoryProvider.ID,
                TerminalInventoryProvider.webhook("evt-2", CLOCK.instant(), false, "REASSIGN-" + SERIAL));
        unbinder.runDueWork();

        assertEquals(CaseState.COMPLETED, unbinder.find(second.id()).orElseThrow().state());
    }

    private static TerminalInventoryProvider terminalAt() {
        return new TerminalInventoryProvider().withTerminal(SERIAL, "V400m", List.of(), MERCHANT);
    }

    private static UnbindRequest request() {
        return deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL).documents(REGISTRATION).build();
    }

    private static Unbinder unbinder(TerminalInventoryProvider provider, CaseStore store) {
        return builderFor(provider).store(store).callbackVerifier(CallbackVerifier.builder()
                .nativeNotifications(TerminalInventoryProvider.ID).clock(CLOCK).build()).build();
    }
}
