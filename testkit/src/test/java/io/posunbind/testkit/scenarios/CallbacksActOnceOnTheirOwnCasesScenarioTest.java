package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditStore;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.Checkpoint;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackSigner;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.callback.InMemoryNonceStore;
import io.posunbind.callback.NonceStore;
import io.posunbind.event.UnbindEvent;
import io.posunbind.event.UnbindListener;
import io.posunbind.testkit.sandbox.SandboxCallbacks;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.json.UnbindJson;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.FeeQuoteAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ReplacementCatalog;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's callback acts only on that provider's cases and only on the case's own application, and
 * it acts once: a callback that met a busy case is accepted when the sender tries again, a replay after it
 * acted is refused, and a signed body nobody can read is malformed.
 */
class CallbacksActOnceOnTheirOwnCasesScenarioTest {

    private static final byte[] SANDBOX_SECRET = "sandbox-shared-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACME_SECRET = "acme-acquiring-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    /** Another acquirer connected to the same platform, with a key of its own. */
    private static final String ACME = "acme";

    @TempDir
    Path folder;

    private final MerchantCase merchant = new MerchantCase();
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryAuditStore auditStore = new InMemoryAuditStore();
    private final CallbackSigner sandbox = CallbackSigner.hmacSha256(SandboxProvider.ID, SANDBOX_SECRET);
    private final CallbackSigner acme = CallbackSigner.hmacSha256(ACME, ACME_SECRET);
    private AuditTrail trail;

    @Test
    void aDecisionSignedByAnotherProviderIsRefusedAndItsCaseStaysUntouched() {
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxProvider(merchant.sandbox));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        int effects = merchant.sandbox.requests().effects().size();

        // Acme's key is genuine, but the case is the sandbox acquirer's: Acme may not decide it.
        String body = SandboxCallbacks.decisionBody(waiting.id().value(),
                InstitutionDecision.approved(application(waiting), merchant.clock.instant()));
        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(acme.sign("acme-1", merchant.clock.instant(), body)));

        assertEquals(CoreErrorCode.CALLBACK_WRONG_PROVIDER, refusal.errorCode());
        assertUntouched(unbinder, waiting);
        assertEquals(effects, merchant.sandbox.requests().effects().size(), "nothing was disabled, unbound or changed");
        assertEquals(List.of("UNB-CALLBACK-WRONG-PROVIDER"), refused);
        assertRejectionAudited(waiting.id(), "UNB-CALLBACK-WRONG-PROVIDER");
        // The rightful provider's decision still counts.
        assertEquals(StepStatus.DONE, unbinder.acceptCallback(sandbox.sign("sbx-1", merchant.clock.instant(), body))
                .steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
        unbinder.close();
    }

    @Test
    void anOperationCompletedSignedByAnotherProviderIsRefusedAndThePendingStepStaysPending() {
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxProvider(merchant.sandbox));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        merchant.sandbox.reviews().approve(application(waiting));
        merchant.clock.advance(MerchantCase.POLL);
        unbinder.runDueWork();
        CaseSnapshot pending = unbinder.find(waiting.id()).orElseThrow();
        assertTrue(pending.isWaitingFor(WaitReason.PROVIDER_OPERATION), pending.toString());
        String reference = pending.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).providerReference().orElseThrow();
        int effects = merchant.sandbox.requests().effects().size();

        // Acme's key is genuine, but the account change is the sandbox acquirer's: Acme may not finish it.
        String body = SandboxCallbacks.operationDoneBody(waiting.id().value(), reference);
        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(acme.sign("acme-done-1", merchant.clock.instant(), body)));

        assertEquals(CoreErrorCode.CALLBACK_WRONG_PROVIDER, refusal.errorCode());
        CaseSnapshot after = unbinder.find(waiting.id()).orElseThrow();
        assertEquals(pending.version(), after.version(), "the case was not written");
        assertEquals(StepStatus.WAITING, after.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).status());
        assertTrue(after.isWaitingFor(WaitReason.PROVIDER_OPERATION), after.toString());
        assertEquals(effects, merchant.sandbox.requests().effects().size(), "nothing more changed at the acquirer");
        assertEquals(List.of("UNB-CALLBACK-WRONG-PROVIDER"), refused);
        assertRejectionAudited(waiting.id(), "UNB-CALLBACK-WRONG-PROVIDER");
        // The rightful acquirer's callback, once it did the change, still counts.
        merchant.sandbox.reviews().completePending(reference);
        CaseSnapshot completed = unbinder.acceptCallback(sandbox.sign("sbx-done-1", merchant.clock.instant(), body));
        assertEquals(StepStatus.DONE, completed.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).get(0).status());
        unbinder.close();
    }

    @Test
    void aDecisionForAnotherApplicationIsRefusedAndTheCaseStaysUntouched() {
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxProvider(merchant.sandbox));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);

        String otherApplication = SandboxCallbacks.decisionBody(waiting.id().value(),
                InstitutionDecision.approved("SBX-APP-999999", merchant.clock.instant()));
        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(sandbox.sign("sbx-1", merchant.clock.instant(), otherApplication)));

        assertEquals(CoreErrorCode.CALLBACK_APPLICATION_MISMATCH, refusal.errorCode());
        assertUntouched(unbinder, waiting);
        assertEquals(List.of("UNB-CALLBACK-APPLICATION-MISMATCH"), refused);
        assertRejectionAudited(waiting.id(), "UNB-CALLBACK-APPLICATION-MISMATCH");
        unbinder.close();
    }

    @Test
    void aDecisionForACaseThatHasNotAppliedYetIsRefused() {
        // An acquirer whose institution is applied to outside posunbind: the case never holds an application,
        // so no signed decision can name it.
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxWithoutApplications(new SandboxProvider(merchant.sandbox)));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        int effects = merchant.sandbox.requests().effects().size();

        String body = SandboxCallbacks.decisionBody(waiting.id().value(),
                InstitutionDecision.approved("SBX-APP-000001", merchant.clock.instant()));
        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(sandbox.sign("sbx-1", merchant.clock.instant(), body)));

        assertEquals(CoreErrorCode.CALLBACK_APPLICATION_MISMATCH, refusal.errorCode());
        assertUntouched(unbinder, waiting);
        assertEquals(effects, merchant.sandbox.requests().effects().size(), "nothing was disabled, unbound or changed");
        assertRejectionAudited(waiting.id(), "UNB-CALLBACK-APPLICATION-MISMATCH");
        unbinder.close();
    }

    @Test
    void aCardNumberInTheInstitutionsSignedRefusalIsMaskedBeforeItIsStored() {
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxProvider(merchant.sandbox));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        String card = "6222021234567890128";

        // The institution's clerk pasted the merchant's card number into the refusal's text.
        String body = SandboxCallbacks.decisionBody(waiting.id().value(), InstitutionDecision.rejected(
                application(waiting), "BANK-REFUSED", "Settlement card " + card + " is frozen",
                merchant.clock.instant()));
        CaseSnapshot rejected = unbinder.acceptCallback(sandbox.sign("sbx-1", merchant.clock.instant(), body));

        assertEquals(CaseState.REJECTED, rejected.state());
        CaseSnapshot stored = unbinder.find(waiting.id()).orElseThrow();
        assertFalse(stored.toString().contains(card), "snapshot");
        assertFalse(stored.history().toString().contains(card), "history");
        assertFalse(stored.describe(Locale.ENGLISH).contains(card), "description");
        assertFalse(UnbindJson.writeSnapshot(stored).contains(card), "JSON");
        unbinder.close();
    }

    @Test
    void aDecisionThatMetABusyCaseIsAcceptedWhenTheSenderRetries() {
        aDecisionThatMetABusyCaseIsAcceptedOnRetry(new InMemoryCaseStore(), new InMemoryNonceStore());
    }

    @Test
    void aDecisionThatMetABusyCaseIsAcceptedWhenTheSenderRetriesOnTheDatabasesNonceStore() {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(folder.resolve("cases"))) {
            aDecisionThatMetABusyCaseIsAcceptedOnRetry(store, store.callbackNonces());
        }
    }

    private void aDecisionThatMetABusyCaseIsAcceptedOnRetry(CaseStore store, NonceStore nonces) {
        Unbinder unbinder = unbinder(store, nonces, "instance-a", new SandboxProvider(merchant.sandbox));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        Callback decision = sandbox.sign("sbx-approved-1", merchant.clock.instant(), SandboxCallbacks.decisionBody(
                waiting.id().value(), InstitutionDecision.approved(application(waiting), merchant.clock.instant())));

        // Another instance works on the case (a due poll, a reminder) just as the institution calls back.
        leaseTo(store, waiting.id(), Optional.of("instance-b"));
        PosUnbindException busy = assertThrows(PosUnbindException.class, () -> unbinder.acceptCallback(decision));
        assertEquals(CoreErrorCode.CASE_BUSY, busy.errorCode());
        assertTrue(busy.retryable(), "the sender is told to send it again");
        leaseTo(store, waiting.id(), Optional.empty());

        // The acquirer sends the very same callback again: the institution's decision is not lost.
        CaseSnapshot approved = unbinder.acceptCallback(decision);
        assertEquals(StepStatus.DONE, approved.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
        assertEquals(1, approved.history().stream().filter(h -> h.event().equals("DECISION_RECORDED")).count());

        // A real replay, after it was acted on, is still refused: at once, even while another instance
        // holds the case, and when the case is free again.
        leaseTo(store, waiting.id(), Optional.of("instance-b"));
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(decision)).errorCode());
        leaseTo(store, waiting.id(), Optional.empty());
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(decision)).errorCode());
        assertEquals(List.of("UNB-CALLBACK-REPLAYED", "UNB-CALLBACK-REPLAYED"), refused);
        unbinder.close();
    }

    @Test
    void aCallbackActedOnIsAReplayEvenWhenItsNonceCouldNotBeSpent() {
        AtomicBoolean nonceStoreDown = new AtomicBoolean();
        InMemoryNonceStore memory = new InMemoryNonceStore();
        NonceStore flaky = new NonceStore() {
            @Override
            public boolean isUsed(String providerId, String nonce, Instant now) {
                return memory.isUsed(providerId, nonce, now);
            }

            @Override
            public boolean markUsed(String providerId, String nonce, Instant expiresAt, Instant now) {
                if (nonceStoreDown.get()) {
                    throw new IllegalStateException("nonce store unreachable");
                }
                return memory.markUsed(providerId, nonce, expiresAt, now);
            }
        };
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), flaky, "instance-a",
                new SandboxProvider(merchant.sandbox));
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        Callback decision = sandbox.sign("sbx-approved-1", merchant.clock.instant(), SandboxCallbacks.decisionBody(
                waiting.id().value(), InstitutionDecision.approved(application(waiting), merchant.clock.instant())));

        // The decision is committed, then the nonce store fails: the case itself knows it acted.
        nonceStoreDown.set(true);
        CaseSnapshot approved = unbinder.acceptCallback(decision);
        assertEquals(StepStatus.DONE, approved.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
        nonceStoreDown.set(false);

        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(decision)).errorCode());
        assertEquals(1, unbinder.find(waiting.id()).orElseThrow().history().stream()
                .filter(h -> h.event().equals("DECISION_RECORDED")).count());
        unbinder.close();
    }

    @Test
    void aSignedBodyNobodyCanReadIsMalformedAndItsResendAReplay() {
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxProvider(merchant.sandbox));
        Callback garbage = sandbox.sign("sbx-garbage", merchant.clock.instant(), "{\"caseId\": 42, \"event\":");

        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(garbage));
        assertEquals(CoreErrorCode.CALLBACK_MALFORMED, refusal.errorCode());
        assertEquals(Optional.of(SandboxProvider.ID), refusal.claimedProviderId());
        assertEquals(Optional.of("sbx-garbage"), refusal.nonce());
        // Refused for good: the same bytes again are a replay.
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(garbage)).errorCode());
        assertEquals(List.of("UNB-CALLBACK-MALFORMED", "UNB-CALLBACK-REPLAYED"), refused);
        assertTrue(auditStore.readAfter(0, 1000).stream().anyMatch(r -> r.eventType().equals("CALLBACK_REJECTED")
                && r.detail().startsWith("UNB-CALLBACK-MALFORMED")));
        unbinder.close();
    }

    @Test
    void aCallbackRefusedForAFaultOnThisSideIsAcceptedWhenTheSenderRetries() {
        boolean[] keyServiceDown = {true};
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("CallbackParser.parse") && keyServiceDown[0]) {
                        throw new PosUnbindException(StandardErrorCode.PROVIDER_UNAVAILABLE,
                                "the parser's key service is down");
                    }
                    return proceed.call();
                });
        InMemoryCaseStore store = new InMemoryCaseStore();
        Unbinder unbinder = unbinder(store, new InMemoryNonceStore(), "instance-a", provider.provider);
        CaseSnapshot waiting = waitingForTheInstitution(unbinder);
        Callback decision = sandbox.sign("sbx-approved-1", merchant.clock.instant(), SandboxCallbacks.decisionBody(
                waiting.id().value(), InstitutionDecision.approved(application(waiting), merchant.clock.instant())));

        // The provider's parser cannot work now: the body is not to blame.
        PosUnbindException parserDown = assertThrows(PosUnbindException.class,
                () -> unbinder.acceptCallback(decision));
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, parserDown.errorCode());
        keyServiceDown[0] = false;

        // The stored case cannot be read (a bad restore): refused with a code that is not retryable, yet
        // about this side, not the callback.
        String intact = store.load(waiting.id().value()).orElseThrow().document();
        storeDocument(store, waiting.id(), "{\"not\": \"a case\"");
        PosUnbindException corrupt = assertThrows(PosUnbindException.class, () -> unbinder.acceptCallback(decision));
        assertEquals(CoreErrorCode.STORE_CORRUPT, corrupt.errorCode());
        assertFalse(corrupt.retryable());
        storeDocument(store, waiting.id(), intact);

        // Once the operators fixed both, the acquirer's retry of the very same callback is acted on.
        CaseSnapshot approved = unbinder.acceptCallback(decision);
        assertEquals(StepStatus.DONE, approved.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
        assertEquals(List.of(), refused, "neither refusal was the callback's");
        unbinder.close();
    }

    @Test
    void aMalformedCallbackIsStillRefusedAndReportedWhenTheAuditTrailIsDown() {
        AtomicBoolean auditDown = new AtomicBoolean(true);
        trail = AuditTrail.builder().store(new AuditStoreThatMayFail(auditStore, auditDown))
                .keys(FileAuditKeyProvider.generate(folder.resolve("audit-keys"), "audit-2026-11"))
                .clock(merchant.clock).build();
        Unbinder unbinder = unbinder(new InMemoryCaseStore(), new InMemoryNonceStore(), "instance-a",
                new SandboxProvider(merchant.sandbox));
        Callback garbage = sandbox.sign("sbx-garbage", merchant.clock.instant(), "{\"caseId\": 42, \"event\":");

        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(garbage));

        assertEquals(CoreErrorCode.CALLBACK_MALFORMED, refusal.errorCode(), "told why, not the audit's trouble");
        assertEquals(List.of("UNB-CALLBACK-MALFORMED"), refused, "the application's listener heard of it");
        // Refused for good all the same: the same bytes again are a replay, recorded once the trail is back.
        auditDown.set(false);
        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(garbage)).errorCode());
        assertTrue(auditStore.readAfter(0, 1000).stream().anyMatch(r -> r.eventType().equals("CALLBACK_REJECTED")
                && r.detail().startsWith("UNB-CALLBACK-REPLAYED")));
        unbinder.close();
    }

    @Test
    void twoInstancesReceivingOneDecisionAtOnceActOnItOnce() throws Exception {
        // Two engine instances on one database, sharing its nonce table.
        try (JdbcCaseStore store = JdbcCaseStore.h2File(folder.resolve("cases"))) {
            List<Unbinder> instances = List.of(
                    unbinder(store, store.callbackNonces(), "instance-a", new SandboxProvider(merchant.sandbox)),
                    unbinder(store, store.callbackNonces(), "instance-b", new SandboxProvider(merchant.sandbox)));
            CaseSnapshot waiting = waitingForTheInstitution(instances.get(0));
            Callback decision = sandbox.sign("sbx-approved-1", merchant.clock.instant(),
                    SandboxCallbacks.decisionBody(waiting.id().value(),
                            InstitutionDecision.approved(application(waiting), merchant.clock.instant())));

            // The acquirer's gateway delivers the same callback four times at once, to both instances,
            // and each delivery is retried for as long as it is told to.
            ExecutorService deliveries = Executors.newFixedThreadPool(4);
            List<Future<String>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Unbinder instance = instances.get(i % 2);
                    answers.add(deliveries.submit(() -> deliverUntilAnswered(instance, decision)));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<String> answer : answers) {
                    outcomes.add(answer.get());
                }
                assertEquals(1, outcomes.stream().filter(o -> o.equals("ACTED")).count(), outcomes.toString());
                assertEquals(3, outcomes.stream().filter(o -> o.equals("UNB-CALLBACK-REPLAYED")).count(),
                        outcomes.toString());
            } finally {
                deliveries.shutdownNow();
            }
            assertEquals(1, instances.get(0).find(waiting.id()).orElseThrow().history().stream()
                    .filter(h -> h.event().equals("DECISION_RECORDED")).count());
            instances.forEach(Unbinder::close);
        }
    }

    // ----------------------------------------------------------------------------------------------

    private static String deliverUntilAnswered(Unbinder instance, Callback callback) {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            try {
                instance.acceptCallback(callback);
                return "ACTED";
            } catch (PosUnbindException e) {
                if (!e.retryable()) {
                    return e.errorCode().code();
                }
                Thread.yield(); // the other instance holds the case: send again, as a gateway would
            }
        }
        return "STILL-BUSY";
    }

    private Unbinder unbinder(CaseStore store, NonceStore nonces, String instanceId, PaymentProvider provider) {
        if (trail == null) {
            // One trail for every instance, as one audit store would have.
            trail = AuditTrail.builder().store(auditStore)
                    .keys(FileAuditKeyProvider.generate(folder.resolve("audit-keys"), "audit-2026-11"))
                    .clock(merchant.clock).build();
        }
        UnbindListener refusals = new UnbindListener() {
            @Override
            public void onEvent(UnbindEvent event) {
            }

            @Override
            public void onRejectedCallback(CallbackRejectedException rejection) {
                refused.add(rejection.errorCode().code());
            }
        };
        return Unbinder.builder().store(store).clock(merchant.clock).provider(provider)
                .provider(new AcmeAcquirer()).withoutDiscovery().pollInterval(MerchantCase.POLL)
                .instanceId(instanceId).listener(refusals).auditTrail(trail)
                .callbackVerifier(CallbackVerifier.builder().hmacSha256(SandboxProvider.ID, SANDBOX_SECRET)
                        .hmacSha256(ACME, ACME_SECRET).clock(merchant.clock).nonceStore(nonces).build())
                .build();
    }

    private CaseSnapshot waitingForTheInstitution(Unbinder unbinder) {
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        CaseSnapshot waiting = unbinder.consentToFees(opened.id(), new FeeConsent(quote.quoteId(), quote.total(),
                MerchantCase.MERCHANT, merchant.clock.instant()));
        assertTrue(waiting.isWaitingFor(WaitReason.INSTITUTION_DECISION), waiting.toString());
        return waiting;
    }

    private static String application(CaseSnapshot waiting) {
        return waiting.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).providerReference().orElseThrow();
    }

    private static void assertUntouched(Unbinder unbinder, CaseSnapshot before) {
        CaseSnapshot after = unbinder.find(before.id()).orElseThrow();
        assertEquals(before.version(), after.version(), "the case was not written");
        assertEquals(before.state(), after.state());
        assertEquals(before.history(), after.history());
        assertTrue(after.isWaitingFor(WaitReason.INSTITUTION_DECISION));
    }

    private void assertRejectionAudited(CaseId caseId, String code) {
        List<AuditRecord> records = auditStore.readByCase(caseId.value());
        assertTrue(records.stream().anyMatch(r -> r.eventType().equals("CALLBACK_REJECTED")
                && r.detail().startsWith(code)), records.toString());
    }

    /** What another instance does to a case it works on: it holds the case's lease, or gives it back. */
    private void leaseTo(CaseStore store, CaseId caseId, Optional<String> owner) {
        CaseRecord record = store.load(caseId.value()).orElseThrow();
        Optional<Instant> until = owner.map(o -> merchant.clock.instant().plus(Duration.ofMinutes(1)));
        store.update(new CaseRecord(record.caseId(), record.version() + 1, record.state(), record.providerId(),
                record.merchantNumber(), record.terminalSerial(), record.open(), record.wakeAt(), record.createdAt(),
                record.updatedAt(), record.document(), owner, until, record.eventsPending()), record.version());
    }

    /** Replaces the stored case's document, as a bad restore (or its repair) would. */
    private static void storeDocument(CaseStore store, CaseId caseId, String document) {
        CaseRecord record = store.load(caseId.value()).orElseThrow();
        store.update(new CaseRecord(record.caseId(), record.version() + 1, record.state(), record.providerId(),
                record.merchantNumber(), record.terminalSerial(), record.open(), record.wakeAt(), record.createdAt(),
                record.updatedAt(), document, record.leaseOwner(), record.leaseUntil(), record.eventsPending()),
                record.version());
    }

    /** The audit store, refusing new records while {@code down} is set: a database the trail lives on, down. */
    private static final class AuditStoreThatMayFail implements AuditStore {
        private final AuditStore store;
        private final AtomicBoolean down;

        AuditStoreThatMayFail(AuditStore store, AtomicBoolean down) {
            this.store = store;
            this.down = down;
        }

        @Override
        public void appendRecord(AuditRecord record) {
            if (down.get()) {
                throw new IllegalStateException("audit database unreachable");
            }
            store.appendRecord(record);
        }

        @Override
        public void appendCheckpoint(Checkpoint checkpoint) {
            store.appendCheckpoint(checkpoint);
        }

        @Override
        public List<AuditRecord> readRange(long fromSequence, long toSequence) {
            return store.readRange(fromSequence, toSequence);
        }

        @Override
        public List<AuditRecord> readAfter(long sequence, int limit) {
            return store.readAfter(sequence, limit);
        }

        @Override
        public List<AuditRecord> readByCase(String caseId) {
            return store.readByCase(caseId);
        }

        @Override
        public Optional<AuditRecord> latestRecord() {
            return store.latestRecord();
        }

        @Override
        public List<Checkpoint> readCheckpoints(long fromSequence, long toSequence) {
            return store.readCheckpoints(fromSequence, toSequence);
        }

        @Override
        public Optional<Checkpoint> latestCheckpoint() {
            return store.latestCheckpoint();
        }

        @Override
        public Optional<Checkpoint> latestCheckpointBefore(long sequence) {
            return store.latestCheckpointBefore(sequence);
        }

        @Override
        public Optional<Checkpoint> firstCheckpointAtOrAfter(long sequence) {
            return store.firstCheckpointAtOrAfter(sequence);
        }
    }

    /** A second acquirer on the platform: it signs callbacks in the sandbox's format with its own key. */
    private static final class AcmeAcquirer implements PaymentProvider {
        @Override
        public String id() {
            return ACME;
        }

        @Override
        public String displayName() {
            return "Acme Acquiring";
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public Optional<CallbackParser> callbackParser() {
            return Optional.of(new SandboxCallbacks());
        }
    }

    /** The sandbox acquirer without an application interface: the institution is applied to by hand. */
    private static final class SandboxWithoutApplications implements PaymentProvider {
        private final SandboxProvider sandbox;

        SandboxWithoutApplications(SandboxProvider sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public String id() {
            return sandbox.id();
        }

        @Override
        public String displayName() {
            return sandbox.displayName();
        }

        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public Optional<DeviceUnbindAdapter> deviceAdapter() {
            return sandbox.deviceAdapter();
        }

        @Override
        public Optional<AccountUnbindAdapter> accountAdapter() {
            return sandbox.accountAdapter();
        }

        @Override
        public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
            return sandbox.merchantInfoAdapter();
        }

        @Override
        public Optional<FeeQuoteAdapter> feeQuoteAdapter() {
            return sandbox.feeQuoteAdapter();
        }

        @Override
        public Optional<TerminalSetupAdapter> terminalSetupAdapter() {
            return sandbox.terminalSetupAdapter();
        }

        @Override
        public Optional<ReplacementCatalog> replacementCatalog() {
            return sandbox.replacementCatalog();
        }

        @Override
        public Optional<TerminalTransferAdapter> transferAdapter() {
            return sandbox.transferAdapter();
        }

        @Override
        public Optional<VerificationAdapter> verificationAdapter() {
            return sandbox.verificationAdapter();
        }

        @Override
        public Set<DocumentKind> additionalDocuments(String reason, Set<String> bindings, boolean withReplacement) {
            return sandbox.additionalDocuments(reason, bindings, withReplacement);
        }

        @Override
        public Optional<Pattern> terminalSerialPattern() {
            return sandbox.terminalSerialPattern();
        }

        @Override
        public boolean honoursIdempotencyKeys() {
            return sandbox.honoursIdempotencyKeys();
        }

        @Override
        public Optional<CallbackParser> callbackParser() {
            return sandbox.callbackParser();
        }
    }
}
