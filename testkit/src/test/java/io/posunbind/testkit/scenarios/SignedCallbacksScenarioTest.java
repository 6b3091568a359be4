package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.StepKind;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackSigner;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.event.UnbindEvent;
import io.posunbind.event.UnbindListener;
import io.posunbind.testkit.sandbox.SandboxCallbacks;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.store.InMemoryCaseStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Callbacks are acted on only when signed, fresh and new; every refusal has its own code and is reported. */
class SignedCallbacksScenarioTest {

    private static final byte[] SECRET = "sandbox-shared-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    @Test
    void onlyASignedFreshNewCallbackMovesTheCase() {
        MerchantCase merchant = new MerchantCase();
        List<String> refused = new ArrayList<>();
        UnbindListener audit = new UnbindListener() {
            @Override
            public void onEvent(UnbindEvent event) {
            }

            @Override
            public void onRejectedCallback(CallbackRejectedException rejection) {
                refused.add(rejection.errorCode().code());
            }
        };
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).listener(audit)
                .callbackVerifier(CallbackVerifier.builder().hmacSha256("sandbox", SECRET).clock(merchant.clock)
                        .build())
                .build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        CaseSnapshot waiting = unbinder.consentToFees(opened.id(), new io.posunbind.FeeConsent(quote.quoteId(),
                quote.total(), MerchantCase.MERCHANT, merchant.clock.instant()));
        assertTrue(waiting.isWaitingFor(WaitReason.INSTITUTION_DECISION));
        String reference = waiting.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).providerReference()
                .orElseThrow();
        String body = SandboxCallbacks.decisionBody(opened.id().value(),
                InstitutionDecision.approved(reference, merchant.clock.instant()));
        CallbackSigner acquirer = CallbackSigner.hmacSha256("sandbox", SECRET);
        CallbackSigner forger = CallbackSigner.hmacSha256("sandbox", "not-the-shared-secret-at-all!!!".getBytes(
                StandardCharsets.UTF_8));

        assertEquals("UNB-CALLBACK-FORGED", assertThrows(CallbackRejectedException.class, () -> unbinder
                .acceptCallback(forger.sign("n-1", merchant.clock.instant(), body))).errorCode().code());
        assertEquals("UNB-CALLBACK-STALE", assertThrows(CallbackRejectedException.class, () -> unbinder
                .acceptCallback(acquirer.sign("n-2", merchant.clock.instant().minus(Duration.ofMinutes(10)), body)))
                .errorCode().code());
        Callback tamperedBody = acquirer.sign("n-3", merchant.clock.instant(), body);
        Callback changed = new Callback(tamperedBody.providerId(), tamperedBody.nonce(), tamperedBody.timestamp(),
                body.replace("APPROVED", "REJECTED"), tamperedBody.signature(), tamperedBody.scheme());
        assertEquals("UNB-CALLBACK-FORGED", assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(changed)).errorCode().code());
        assertTrue(unbinder.find(opened.id()).orElseThrow().isWaitingFor(WaitReason.INSTITUTION_DECISION));

        Callback genuine = acquirer.sign("n-4", merchant.clock.instant(), body);
        CaseSnapshot approved = unbinder.acceptCallback(genuine);
        assertTrue(approved.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status() == io.posunbind.StepStatus.DONE,
                approved.toString());

        assertEquals("UNB-CALLBACK-REPLAYED", assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(genuine)).errorCode().code());
        assertEquals(List.of("UNB-CALLBACK-FORGED", "UNB-CALLBACK-STALE", "UNB-CALLBACK-FORGED",
                "UNB-CALLBACK-REPLAYED"), refused);
        assertTrue(approved.history().stream().anyMatch(h -> h.actorId().equals("callback:sandbox")));
        unbinder.close();
    }
}
