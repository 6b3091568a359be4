package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static io.posunbind.testkit.scenarios.MerchantCase.POLL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.InMemoryCaseStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When something breaks, the case says what: posunbind's own faults, an adapter's exception, a provider
 * that says "busy" after acting, and a reviewer who tries to approve their own request.
 */
class FailuresSayWhatFailedScenarioTest {

    private static final String CLEAR_CARD = "6222021234567890123";

    @TempDir
    Path auditKeys;

    @Test
    void aFaultInsidePosunbindStopsTheCaseUnderItsOwnCodeLoggedOnceWithItsStackTrace() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        merchant.agreeToFees(opened);
        // A stored case without its inventory, as a bug in the engine could leave it: the engine's own
        // code then dereferences what is not there when it reaches the peripherals. No adapter is at fault.
        dropInventory(merchant, opened.id());
        merchant.sandbox.reviews().approve(merchant.applicationReference());

        CaseSnapshot stopped;
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            stopped = merchant.afterWaiting(opened.id(), POLL);
            merchant.afterWaiting(opened.id(), POLL); // nothing more happens, and nothing is logged again
            log = captured.text();
        }

        assertEquals(CaseState.FAILED, stopped.state(), stopped.toString());
        assertEquals(CoreErrorCode.ENGINE_FAULT.code(), stopped.failureCode().orElseThrow());
        StepSnapshot peripheral = stopped.steps(StepKind.UNBIND_PERIPHERAL).get(0);
        assertEquals(StepStatus.FAILED, peripheral.status());
        assertEquals(CoreErrorCode.ENGINE_FAULT.code(), peripheral.lastCode().orElseThrow());
        assertTrue(peripheral.lastMessage().orElseThrow().contains("NullPointerException"), peripheral.toString());
        assertEquals(0, merchant.sandbox.requests().callsFor(OperationKind.UNBIND_PERIPHERAL));
        assertEquals(1, log.lines().filter(line -> line.contains(" ERROR ") && line.contains(opened.id().value()))
                .count(), log);
        assertTrue(log.contains("Engine fault in case " + opened.id().value()), log);
        assertTrue(log.contains("java.lang.NullPointerException") && log.contains("\tat io.posunbind.internal.engine"),
                "the stack trace is logged: " + log);
        assertFalse(log.contains(StandardErrorCode.PROVIDER_UNAVAILABLE.code()), log);
        // Dead-lettered where operators look for stopped cases.
        assertTrue(merchant.unbinder.findCases(CaseFilter.inState("FAILED", 10)).stream()
                .anyMatch(found -> found.id().equals(opened.id())));
    }

    @Test
    void aFaultInsidePosunbindBetweenStepsStopsTheCaseUnderItsOwnCodeInsteadOfFailingOnEveryTick() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(merchant.agreeToFees(opened).isWaitingFor(WaitReason.INSTITUTION_DECISION));
        // A stored case without its list of rule violations, as a bug in the engine could leave it: the run
        // loop, outside any step, clears that list once a step is done.
        nullField(merchant, opened.id(), "violations");
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        merchant.clock.advance(POLL);

        PosUnbindException told;
        String log;
        int advancedLater;
        try (CapturedLog captured = new CapturedLog()) {
            told = assertThrows(PosUnbindException.class, () -> merchant.unbinder.advance(opened.id()));
            merchant.clock.advance(POLL);
            advancedLater = merchant.unbinder.runDueWork(); // the case is no longer due: nothing is logged again
            log = captured.text();
        }

        assertEquals(CoreErrorCode.ENGINE_FAULT, told.errorCode(), "the caller gets a code, not a raw exception");
        assertEquals(0, advancedLater);
        // Read from the store as an operator's tool would: the corrupt case cannot be shown as a snapshot.
        CaseRecord stopped = merchant.store.load(opened.id().value()).orElseThrow();
        assertEquals(CaseState.FAILED.name(), stopped.state(), stopped.toString());
        assertFalse(stopped.open());
        JsonNode document = new ObjectMapper().readTree(stopped.document());
        assertEquals(CoreErrorCode.ENGINE_FAULT.code(), document.path("failureCode").asText(), stopped.document());
        assertEquals(1, log.lines().filter(line -> line.contains(" ERROR ") && line.contains(opened.id().value()))
                .count(), log);
        assertTrue(log.contains("java.lang.NullPointerException")
                && log.contains("\tat io.posunbind.internal.engine.StepLoop.run"), "the stack trace is logged: " + log);
        assertFalse(log.contains(" WARN "), log);
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void anAdaptersExceptionKeepsItsMessageWithoutTheCardNumberInIt() {
        MerchantCase merchant = new MerchantCase();
        boolean[] failed = {false};
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("DeviceUnbindAdapter.readTerminal") && !failed[0]) {
                        failed[0] = true;
                        throw new IllegalStateException("gateway 10.0.0.7 refused: card " + CLEAR_CARD
                                + " is blocked");
                    }
                    return proceed.call();
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();

        CaseSnapshot retrying = unbinder.open(fullReplacement().documents(allDocuments()).build());

        assertTrue(retrying.isWaitingFor(WaitReason.RETRY), retrying.toString());
        StepSnapshot inventory = retrying.steps(StepKind.TAKE_INVENTORY).get(0);
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE.code(), inventory.lastCode().orElseThrow());
        String message = inventory.lastMessage().orElseThrow();
        assertTrue(message.contains("DeviceUnbindAdapter.readTerminal failed with IllegalStateException: gateway"
                + " 10.0.0.7 refused: card "), message);
        assertTrue(message.contains("0123 is blocked"), message);
        assertFalse(retrying.toString().contains(CLEAR_CARD), "the card number is scrubbed everywhere");
        // The adapter recovers; the case goes on.
        merchant.clock.advance(POLL);
        assertTrue(unbinder.runDueWork() > 0);
        assertTrue(unbinder.find(retrying.id()).orElseThrow().isWaitingFor(WaitReason.FEE_CONSENT));
    }

    @Test
    void aCheckedExceptionAnAdapterThrowsUndeclaredIsTheAdaptersFailureAndTheUnbindIsLookedUpNotRepeated() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        // An adapter written in Kotlin: the terminal is unbound, then the connection breaks on the answer.
        SneakyDeviceProvider provider = new SneakyDeviceProvider(new SandboxProvider(merchant.sandbox));
        provider.throwAfterNextUnbind(new IOException("connection reset by gateway 10.0.0.7"));
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider).build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();

        CaseSnapshot unknown = unbinder.consentToFees(opened.id(), new io.posunbind.FeeConsent(quote.quoteId(),
                quote.total(), MerchantCase.MERCHANT, merchant.clock.instant()));

        assertTrue(unknown.isWaitingFor(WaitReason.RETRY), unknown.toString());
        StepSnapshot unbind = unknown.steps(StepKind.UNBIND_TERMINAL).get(0);
        assertEquals("UNKNOWN", unbind.lastCode().orElseThrow(), unbind.toString());
        assertTrue(unbind.lastMessage().orElseThrow().contains("DeviceUnbindAdapter.unbindTerminal failed with"
                + " IOException: connection reset by gateway 10.0.0.7"), unbind.toString());
        merchant.clock.advance(POLL);
        unbinder.runDueWork();
        CaseSnapshot done = unbinder.find(opened.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, merchant.sandbox.requests().callsFor(OperationKind.UNBIND_TERMINAL), "looked up, not sent again");
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.UNBIND_TERMINAL));
    }

    @Test
    void aProviderThatSaysBusyAfterActingIsAskedBeforeTheOperationIsSentAgain() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        boolean[] answeredBusy = {false};
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    Object answer = proceed.call();
                    if (name.equals("DeviceUnbindAdapter.disableTerminal") && !answeredBusy[0]) {
                        // The terminal was disabled, but the gateway answered "busy, try later".
                        answeredBusy[0] = true;
                        return OperationOutcome.rejected(StandardErrorCode.PROVIDER_UNAVAILABLE, "GW-BUSY",
                                "gateway busy, try later");
                    }
                    return answer;
                });
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        CaseSnapshot busy = unbinder.consentToFees(opened.id(), new io.posunbind.FeeConsent(quote.quoteId(),
                quote.total(), MerchantCase.MERCHANT, merchant.clock.instant()));
        assertTrue(busy.isWaitingFor(WaitReason.RETRY), busy.toString());

        merchant.clock.advance(POLL);
        unbinder.runDueWork();

        CaseSnapshot done = unbinder.find(opened.id()).orElseThrow();
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, provider.count("DeviceUnbindAdapter.disableTerminal"), "not sent again: " + provider.calls);
        int disable = provider.calls.indexOf("DeviceUnbindAdapter.disableTerminal");
        assertEquals("DeviceUnbindAdapter.lookup", provider.calls.subList(disable + 1, provider.calls.size())
                .stream().filter(name -> name.startsWith("DeviceUnbindAdapter.")).findFirst().orElseThrow());
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aRequesterWhoTriesToApproveTheirOwnRequestIsRecordedInTheHistoryAndTheAuditTrail() {
        MerchantCase merchant = new MerchantCase();
        InMemoryAuditStore auditStore = new InMemoryAuditStore();
        AuditTrail trail = AuditTrail.builder().store(auditStore)
                .keys(FileAuditKeyProvider.generate(auditKeys, "audit-2026-12")).clock(merchant.clock).build();
        Unbinder withReview = merchant.builderOn(new InMemoryCaseStore()).internalReview(true).auditTrail(trail)
                .build();
        CaseSnapshot opened = withReview.open(fullReplacement().documents(allDocuments()).build());

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> withReview.approveInternally(opened.id(), OPERATOR, "looks fine"));

        assertEquals(CoreErrorCode.FOUR_EYES_VIOLATION, refused.errorCode());
        CaseSnapshot after = withReview.find(opened.id()).orElseThrow();
        assertTrue(after.isWaitingFor(WaitReason.INTERNAL_REVIEW), after.toString());
        assertTrue(after.history().stream().anyMatch(entry -> entry.event().equals("FOUR_EYES_REFUSED")
                && entry.actorId().equals(OPERATOR.id())), after.history().toString());
        List<AuditRecord> records = trail.exportEvidence(opened.id().value()).caseRecords();
        assertTrue(records.stream().anyMatch(r -> r.actorId().equals(OPERATOR.id())
                && r.detail().contains("INTERNAL_REVIEW") && r.detail().contains("UNB-FOUR-EYES")),
                records.toString());
        // A second person's approval still counts.
        CaseSnapshot approved = withReview.approveInternally(opened.id(), Actor.operator("operator:chen.jing"),
                "checked against the originals");
        assertTrue(approved.isWaitingFor(WaitReason.FEE_CONSENT), approved.toString());
    }

    @Test
    void anEngineFaultWhoseExceptionQuotesACardNumberIsLoggedWithItsStackButWithoutTheNumber() {
        MerchantCase merchant = new MerchantCase();
        // The provider's list of extra documents is read lazily from its configuration; reading it fails
        // inside posunbind's document check, with a JDK exception that quotes what it could not parse.
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> name.equals("PaymentProvider.additionalDocuments")
                        ? new UnreadableDocumentList() : proceed.call());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider).build();

        CaseSnapshot stopped;
        String log;
        try (CapturedLog captured = new CapturedLog()) {
            stopped = unbinder.open(fullReplacement().documents(allDocuments()).build());
            log = captured.text();
        }

        assertEquals(CaseState.FAILED, stopped.state(), stopped.toString());
        assertEquals(CoreErrorCode.ENGINE_FAULT.code(), stopped.failureCode().orElseThrow());
        List<String> errors = log.lines().filter(line -> line.contains(" ERROR ")
                && line.contains(stopped.id().value())).toList();
        assertEquals(1, errors.size(), log);
        assertTrue(log.contains("java.lang.NumberFormatException: For input string: "), log);
        assertTrue(log.contains("\tat io.posunbind.internal.engine.StepExecutor"), "the stack frames are kept: " + log);
        assertFalse(log.contains(CLEAR_CARD), "the card number is not logged: " + log);
        assertFalse(stopped.toString().contains(CLEAR_CARD));
    }

    /** A set that fails when read, as a lazily parsed configuration value would, quoting its input. */
    private static final class UnreadableDocumentList extends AbstractSet<DocumentKind> {
        @Override
        public Iterator<DocumentKind> iterator() {
            throw new NumberFormatException("For input string: \"" + CLEAR_CARD + "\"");
        }

        @Override
        public int size() {
            return 1;
        }
    }

    /** Sets a field of the stored case to null, keeping everything else. */
    private static void nullField(MerchantCase merchant, CaseId id, String field) throws Exception {
        CaseRecord record = merchant.store.load(id.value()).orElseThrow();
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = (ObjectNode) json.readTree(record.document());
        document.putNull(field);
        merchant.store.update(new CaseRecord(record.caseId(), record.version() + 1, record.state(),
                record.providerId(), record.merchantNumber(), record.terminalSerial(), record.open(), record.wakeAt(),
                record.createdAt(), record.updatedAt(), json.writeValueAsString(document), record.leaseOwner(),
                record.leaseUntil(), record.eventsPending()), record.version());
    }

    /** Removes the inventory from the stored case, keeping everything else. */
    private static void dropInventory(MerchantCase merchant, CaseId id) throws Exception {
        CaseRecord record = merchant.store.load(id.value()).orElseThrow();
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = (ObjectNode) json.readTree(record.document());
        assertTrue(document.has("terminal"), "the stored case has an inventory to drop");
        document.remove("terminal");
        merchant.store.update(new CaseRecord(record.caseId(), record.version() + 1, record.state(),
                record.providerId(), record.merchantNumber(), record.terminalSerial(), record.open(), record.wakeAt(),
                record.createdAt(), record.updatedAt(), json.writeValueAsString(document), record.leaseOwner(),
                record.leaseUntil(), record.eventsPending()), record.version());
    }
}
