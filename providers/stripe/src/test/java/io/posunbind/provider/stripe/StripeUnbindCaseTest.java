package io.posunbind.provider.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.CoreErrorCode;
import io.posunbind.Actor;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.model.Document;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.Fault;
import io.posunbind.testkit.app.TestClock;
import io.posunbind.testkit.app.UnbinderTestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merchant's Stripe reader unbound end to end through {@code Unbinder}, on the durable H2 store, against
 * the WireMock stub of Stripe's Terminal API: the reader is deleted once, also when the first delete's
 * answer is lost and the engine reconciles by looking the reader up; Stripe webhooks reach the engine
 * through the adapter's verification with Stripe's scheme.
 */
class StripeUnbindCaseTest {

    @TempDir
    Path folder;

    private final StripeStub stripe = new StripeStub();
    private final TestClock clock = TestClock.at(Instant.parse("2026-12-01T09:00:00Z"));
    private JdbcCaseStore store;
    private UnbinderTestEnvironment environment;

    @AfterEach
    void close() {
        if (environment != null) {
            environment.close();
        }
        if (store != null) {
            store.close();
        }
        stripe.close();
    }

    @Test
    void aMerchantsReaderIsDeletedOnceAndTheCaseCompletes() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        start();

        CaseSnapshot opened = environment.unbinder().open(request(serial));
        environment.runUntilQuiet();

        CaseSnapshot done = environment.snapshot(opened.id());
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        List<LoggedRequest> deletes = deletesOf(readerId);
        assertEquals(1, deletes.size(), "one DELETE of the reader reached Stripe");
        assertFalse(deletes.get(0).getHeader("Idempotency-Key").isBlank(), "the delete carries the engine's key");
        assertTrue(stripe.isDeleted(readerId));
    }

    @Test
    void aDeleteWhoseAnswerIsLostIsReconciledByLookingTheReaderUpAndTakesEffectOnce() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        start();
        stripe.failNext(OperationKind.UNBIND_TERMINAL, Fault.timeout());

        CaseSnapshot opened = environment.unbinder().open(request(serial));
        environment.runUntilQuiet();
        CaseSnapshot reconciling = environment.snapshot(opened.id());
        assertTrue(reconciling.state().isOpen(), "the outcome is unknown until the engine looks it up: " + reconciling);
        environment.advanceInSteps(Duration.ofMinutes(1), Duration.ofHours(1));

        CaseSnapshot done = environment.snapshot(opened.id());
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(1, deletesOf(readerId).size(), "the lookup found the reader gone: no second DELETE");
        String lookedUp = "/v1/terminal/readers/" + readerId;
        assertTrue(stripe.server().getAllServeEvents().stream().anyMatch(event -> event.getRequest().getMethod()
                .getName().equals("GET") && event.getRequest().getUrl().equals(lookedUp)),
                "the engine's lookup retrieved the noted reader");
    }

    @Test
    void aWebhookWithAWrongSignatureIsRefusedAndAGenuineOneIsAcknowledgedAsConcerningNoCase() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        start();
        CaseSnapshot opened = environment.unbinder().open(request(serial));
        environment.runUntilQuiet();
        CaseSnapshot done = environment.snapshot(opened.id());
        String body = StripeWebhookRequests.readerEvent("evt_1SzTerminal0001", "terminal.reader.action_succeeded",
                readerId, clock.instant());

        CallbackRejectedException forged = assertThrows(CallbackRejectedException.class, () -> environment.unbinder()
                .acceptNotification(StripeProviderFactory.ID, StripeWebhookRequests.signed(
                        "whsec_GuessedByAnAttacker000000000000", clock.instant(), body)));
        CallbackRejectedException genuine = assertThrows(CallbackRejectedException.class, () -> environment.unbinder()
                .acceptNotification(StripeProviderFactory.ID, StripeWebhookRequests.signed(
                        StripeWebhookRequests.SECRET, clock.instant(), body)));

        assertEquals(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, forged.errorCode());
        // Verified, and acknowledged (answered 200) because Stripe's events report nothing a case waits for.
        assertEquals(CoreErrorCode.CALLBACK_CONCERNS_NO_CASE, genuine.errorCode());
        assertEquals(done.version(), environment.snapshot(opened.id()).version(), "neither touched the case");
    }

    @Test
    void aCaseThatWouldUnbindTheAccountOrMerchantInfoAtStripeIsRefusedBeforeAnythingIsSent() {
        String serial = stripe.seedTerminal();
        start();
        UnbindRequest everything = UnbindRequest.builder().provider(StripeProviderFactory.ID)
                .merchantNumber(StripeStub.MERCHANT).terminalSerial(serial).reason(UnbindReason.CLOSURE)
                .allBindings().requestedBy(Actor.operator("operator:li.na"))
                .documents(new Document.BusinessLicence("C0123456789", "Blue Bottle Market Street LLC")).build();

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> environment.unbinder().open(everything));

        assertEquals(CoreErrorCode.CAPABILITY_MISSING, refused.errorCode(), refused.getMessage());
        assertTrue(refused.getMessage().contains("ACCOUNT_UNBIND") && refused.getMessage().contains("MERCHANT_INFO_UNBIND"));
        assertEquals(0, stripe.server().findAll(deleteRequestedFor(anyUrl())).size(), "nothing was deleted");
    }

    private void start() {
        store = JdbcCaseStore.h2File(folder.resolve("cases"));
        environment = UnbinderTestEnvironment.builder().clock(clock).store(store)
                .provider(new StripeProviderFactory().create(ProviderSettings.of(stripe.settings())))
                .configure(builder -> builder.callbackVerifier(CallbackVerifier.builder().clock(clock)
                        .nativeNotifications(StripeProviderFactory.ID).build()))
                .build();
    }

    private static UnbindRequest request(String serial) {
        return UnbindRequest.builder()
                .provider(StripeProviderFactory.ID)
                .merchantNumber(StripeStub.MERCHANT)
                .terminalSerial(serial)
                .reason(UnbindReason.DEVICE_FAULTY)
                .scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(new Document.BusinessLicence("C0123456789", "Blue Bottle Market Street LLC"))
                .build();
    }

    private List<LoggedRequest> deletesOf(String readerId) {
        return stripe.server().findAll(deleteRequestedFor(urlPathEqualTo("/v1/terminal/readers/" + readerId)));
    }
}
