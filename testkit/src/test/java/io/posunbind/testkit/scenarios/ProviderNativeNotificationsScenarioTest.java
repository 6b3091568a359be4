package io.posunbind.testkit.scenarios;

import io.posunbind.spi.SpiVersion;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindEvent;
import io.posunbind.event.UnbindListener;
import io.posunbind.testkit.sandbox.SandboxCallbacks;
import io.posunbind.testkit.sandbox.SandboxNotifications;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox acquirer posts webhooks in its own format: signed in a {@code Sandbox-Signature: t=…,v1=…}
 * header, naming only its own references, never our case id. The engine verifies them through the
 * acquirer's parser, checks their time and id like its own signed callbacks, finds the case by the
 * acquirer's reference, and acts once; every refusal has its code and leaves the case untouched.
 */
class ProviderNativeNotificationsScenarioTest {

    private static final byte[] SANDBOX_SECRET = SandboxNotifications.DEMO_SECRET.getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACME_SECRET = "whsec_acme_acquiring_0123456789ab".getBytes(StandardCharsets.UTF_8);
    private static final String ACME = "acme";

    @TempDir
    Path folder;

    private final MerchantCase merchant = new MerchantCase();
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private Unbinder unbinder;
    private JdbcCaseStore h2;

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
    void aDecisionNamingOnlyTheAcquirersApplicationReferenceApprovesItsCase() {
        aDecisionNamingOnlyTheApplicationReferenceApprovesItsCaseOn(new InMemoryCaseStore());
    }

    @Test
    void aDecisionNamingOnlyTheAcquirersApplicationReferenceApprovesItsCaseOnTheDurableStore() {
        h2 = JdbcCaseStore.h2File(folder.resolve("db"));
        aDecisionNamingOnlyTheApplicationReferenceApprovesItsCaseOn(h2);
    }

    private void aDecisionNamingOnlyTheApplicationReferenceApprovesItsCaseOn(CaseStore store) {
        unbinder = unbinder(store, true);
        CaseSnapshot waiting = waitingForTheInstitution();
        String body = SandboxNotifications.decisionBody("evt_SBX_0001",
                InstitutionDecision.approved(application(waiting), merchant.clock.instant()));
        assertTrue(!body.contains(waiting.id().value()), "the acquirer's webhook does not know our case id");

        CaseSnapshot approved = unbinder.acceptNotification(SandboxProvider.ID,
                SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(), body));

        assertEquals(waiting.id(), approved.id());
        assertEquals(StepStatus.DONE, approved.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
        assertEquals(List.of(), refused);
    }

    @Test
    void anOperationFinishedNamingOnlyItsReferenceCompletesThePendingStep() {
        unbinder = unbinder(new InMemoryCaseStore(), true);
        CaseSnapshot waiting = waitingForTheInstitution();
        CaseSnapshot approved = unbinder.acceptNotification(SandboxProvider.ID, SandboxNotifications.signedRequest(
                SANDBOX_SECRET, merchant.clock.instant(), SandboxNotifications.decisionBody("evt_SBX_0001",
                        InstitutionDecision.approved(application(waiting), merchant.clock.instant()))));
        assertTrue(approved.isWaitingFor(WaitReason.PROVIDER_OPERATION), approved.toString());
        var pending = approved.steps().stream().filter(step -> step.status() == StepStatus.WAITING
                && step.providerReference().isPresent()).findFirst().orElseThrow();
        String reference = pending.providerReference().orElseThrow();

        CaseSnapshot after = unbinder.acceptNotification(SandboxProvider.ID, SandboxNotifications.signedRequest(
                SANDBOX_SECRET, merchant.clock.instant(),
                SandboxNotifications.operationSucceededBody("evt_SBX_0002", reference)));

        var finished = after.steps().stream().filter(step -> step.providerReference().equals(Optional.of(reference)))
                .findFirst().orElseThrow();
        assertEquals(StepStatus.DONE, finished.status(), after.toString());
        assertEquals(List.of(), refused);
    }

    @Test
    void aForgedOrAlteredNotificationIsRefusedAndTheGenuineOneStillCounts() {
        unbinder = unbinder(new InMemoryCaseStore(), true);
        CaseSnapshot waiting = waitingForTheInstitution();
        String body = SandboxNotifications.decisionBody("evt_SBX_0001",
                InstitutionDecision.approved(application(waiting), merchant.clock.instant()));
        RawCallback forged = SandboxNotifications.signedRequest(
                "whsec_guessed_by_an_attacker_00000".getBytes(StandardCharsets.UTF_8), merchant.clock.instant(), body);
        RawCallback genuine = SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(), body);
        RawCallback altered = new RawCallback(genuine.path(), genuine.headers(),
                body.replace("APPROVED", "REJECTED").getBytes(StandardCharsets.UTF_8), genuine.receivedAt());
        RawCallback unsigned = new RawCallback(genuine.path(), Map.of(), genuine.body(), genuine.receivedAt());

        assertEquals(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, refusal(forged).errorCode());
        assertEquals(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, refusal(altered).errorCode());
        assertEquals(CoreErrorCode.CALLBACK_MALFORMED, refusal(unsigned).errorCode());
        assertUntouched(waiting);

        // Nothing of an unverified notification is trusted, its id included: the genuine one is not a replay.
        assertEquals(StepStatus.DONE, unbinder.acceptNotification(SandboxProvider.ID, genuine)
                .steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
        assertEquals(List.of("UNB-CALLBACK-FORGED", "UNB-CALLBACK-FORGED", "UNB-CALLBACK-MALFORMED"), refused);
    }

    @Test
    void aNotificationSignedTooLongAgoIsRefusedAsStale() {
        unbinder = unbinder(new InMemoryCaseStore(), true);
        CaseSnapshot waiting = waitingForTheInstitution();
        String body = SandboxNotifications.decisionBody("evt_SBX_0001",
                InstitutionDecision.approved(application(waiting), merchant.clock.instant()));

        CallbackRejectedException stale = refusal(SandboxNotifications.signedRequest(SANDBOX_SECRET,
                merchant.clock.instant().minus(Duration.ofMinutes(10)), body));

        assertEquals(CoreErrorCode.CALLBACK_STALE, stale.errorCode());
        assertUntouched(waiting);
    }

    @Test
    void aNotificationDeliveredTwiceActsOnceAndTheRepeatIsRefusedAsReplayed() {
        unbinder = unbinder(new InMemoryCaseStore(), true);
        CaseSnapshot waiting = waitingForTheInstitution();
        RawCallback notification = SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(),
                SandboxNotifications.decisionBody("evt_SBX_0001",
                        InstitutionDecision.approved(application(waiting), merchant.clock.instant())));
        CaseSnapshot approved = unbinder.acceptNotification(SandboxProvider.ID, notification);

        merchant.clock.advance(Duration.ofSeconds(30));
        CallbackRejectedException replay = refusal(notification);

        assertEquals(CoreErrorCode.CALLBACK_REPLAYED, replay.errorCode());
        assertEquals(approved.version(), unbinder.find(waiting.id()).orElseThrow().version(), "acted on once");
    }

    @Test
    void aNotificationNamingAReferenceNoCaseWaitsForIsRefusedForNowAndItsIdStaysUnspent() {
        unbinder = unbinder(new InMemoryCaseStore(), true);
        CaseSnapshot waiting = waitingForTheInstitution();
        RawCallback unknown = SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(),
                SandboxNotifications.decisionBody("evt_SBX_0001",
                        InstitutionDecision.approved("SBX-APP-999999", merchant.clock.instant())));

        CallbackRejectedException refusal = refusal(unknown);
        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE, refusal.errorCode());
        assertTrue(refusal.retryable(), "503: it may have overtaken the case's commit of the reference");
        // Refused for now: its id is unspent, so the provider's retry is looked at again, not called a replay.
        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE, refusal(unknown).errorCode());
        assertUntouched(waiting);
    }

    @Test
    void anotherProvidersNotificationNamingThisCasesReferenceFindsNoCase() {
        unbinder = unbinder(new InMemoryCaseStore(), true);
        CaseSnapshot waiting = waitingForTheInstitution();
        String body = SandboxNotifications.decisionBody("evt_ACME_0001",
                InstitutionDecision.approved(application(waiting), merchant.clock.instant()));

        // Acme's signature is genuine, but the reference is the sandbox acquirer's: Acme's cases have none such.
        CallbackRejectedException refusal = assertThrows(CallbackRejectedException.class, () -> unbinder
                .acceptNotification(ACME, SandboxNotifications.signedRequest(ACME_SECRET, merchant.clock.instant(),
                        body)));

        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE, refusal.errorCode());
        assertUntouched(waiting);
        assertEquals(StepStatus.DONE, unbinder.acceptNotification(SandboxProvider.ID, SandboxNotifications
                .signedRequest(SANDBOX_SECRET, merchant.clock.instant(), body))
                .steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status());
    }

    @Test
    void aProvidersOwnFormatIsRefusedUnlessTheApplicationAcceptsItFromThatProvider() {
        unbinder = unbinder(new InMemoryCaseStore(), false);
        CaseSnapshot waiting = waitingForTheInstitution();
        RawCallback notification = SandboxNotifications.signedRequest(SANDBOX_SECRET, merchant.clock.instant(),
                SandboxNotifications.decisionBody("evt_SBX_0001",
                        InstitutionDecision.approved(application(waiting), merchant.clock.instant())));

        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, refusal(notification).errorCode());
        assertEquals(CoreErrorCode.CALLBACK_UNKNOWN_SENDER, assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptNotification("nobody", notification)).errorCode());
        assertUntouched(waiting);
    }

    private CallbackRejectedException refusal(RawCallback notification) {
        return assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptNotification(SandboxProvider.ID, notification));
    }

    private Unbinder unbinder(CaseStore store, boolean acceptSandboxWebhooks) {
        UnbindListener refusals = new UnbindListener() {
            @Override
            public void onEvent(UnbindEvent event) {
            }

            @Override
            public void onRejectedCallback(CallbackRejectedException rejection) {
                refused.add(rejection.errorCode().code());
            }
        };
        CallbackVerifier.Builder verifier = CallbackVerifier.builder().nativeNotifications(ACME)
                .clock(merchant.clock);
        if (acceptSandboxWebhooks) {
            verifier.nativeNotifications(SandboxProvider.ID);
        }
        return Unbinder.builder().store(store).clock(merchant.clock).provider(new SandboxProvider(merchant.sandbox))
                .provider(new AcmeAcquirer()).withoutDiscovery().pollInterval(MerchantCase.POLL).listener(refusals)
                .callbackVerifier(verifier.build()).build();
    }

    private CaseSnapshot waitingForTheInstitution() {
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

    private void assertUntouched(CaseSnapshot before) {
        CaseSnapshot after = unbinder.find(before.id()).orElseThrow();
        assertEquals(before.version(), after.version(), "the case was not written");
        assertEquals(before.history(), after.history());
        assertTrue(after.isWaitingFor(WaitReason.INSTITUTION_DECISION));
    }

    /** A second acquirer on the platform, posting webhooks in the same format under its own secret. */
    private static final class AcmeAcquirer implements PaymentProvider {
        @Override
        public String requestedSpiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public String id() {
            return ACME;
        }

        @Override
        public String displayName() {
            return "Acme Acquiring";
        }

        @Override
        public Optional<CallbackParser> callbackParser() {
            return Optional.of(new SandboxCallbacks(new SandboxNotifications(List.of(ACME_SECRET))));
        }
    }
}
