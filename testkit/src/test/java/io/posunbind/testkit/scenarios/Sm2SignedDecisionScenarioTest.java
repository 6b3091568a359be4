package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.callback.Callback;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackSigner;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.callback.SignatureScheme;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testkit.sandbox.SandboxCallbacks;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * A Chinese acquirer signs the institution's decision with SM2 over SM3 (国密, GM/T 0009) under the default
 * user id; the engine acts on it only when the acquirer's SM2 key signed it.
 */
class Sm2SignedDecisionScenarioTest {

    @Test
    void anSm2SignedDecisionApprovesTheCaseAndAForgedOneDoesNot() {
        SecureRandom random = new SecureRandom();
        String acquirerKey = CallbackSigner.newSm2PrivateKeyPem(random);
        MerchantCase merchant = new MerchantCase();
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore())
                .callbackVerifier(CallbackVerifier.builder()
                        .sm2Sm3("sandbox", CallbackSigner.sm2PublicKeyPem(acquirerKey))
                        .clock(merchant.clock).build())
                .build();
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        CaseSnapshot waiting = unbinder.consentToFees(opened.id(), new FeeConsent(quote.quoteId(), quote.total(),
                MerchantCase.MERCHANT, merchant.clock.instant()));
        String reference = waiting.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).providerReference()
                .orElseThrow();
        String body = SandboxCallbacks.decisionBody(opened.id().value(),
                InstitutionDecision.approved(reference, merchant.clock.instant()));
        CallbackSigner acquirer = CallbackSigner.sm2Sm3("sandbox", acquirerKey);
        CallbackSigner forger = CallbackSigner.sm2Sm3("sandbox", CallbackSigner.newSm2PrivateKeyPem(random));

        assertEquals("UNB-CALLBACK-FORGED", assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(forger.sign("n-1", merchant.clock.instant(), body))).errorCode().code());
        Callback otherUserId = CallbackSigner.sm2Sm3("sandbox", acquirerKey, "another-user-id")
                .sign("n-2", merchant.clock.instant(), body);
        assertEquals("UNB-CALLBACK-FORGED", assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(otherUserId)).errorCode().code());
        assertTrue(unbinder.find(opened.id()).orElseThrow().isWaitingFor(WaitReason.INSTITUTION_DECISION));

        Callback signed = acquirer.sign("n-3", merchant.clock.instant(), body);
        // As the application reads it off the request, the scheme from its header X-Signature-Scheme: sm2-sm3.
        Callback genuine = new Callback(signed.providerId(), signed.nonce(), signed.timestamp(), body,
                signed.signature(), SignatureScheme.fromId("sm2-sm3"));
        CaseSnapshot approved = unbinder.acceptCallback(genuine);

        assertEquals(StepStatus.DONE, approved.steps(StepKind.OBTAIN_INSTITUTION_APPROVAL).get(0).status(),
                approved.toString());
        assertEquals("UNB-CALLBACK-REPLAYED", assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptCallback(genuine)).errorCode().code());
        unbinder.close();
    }
}
