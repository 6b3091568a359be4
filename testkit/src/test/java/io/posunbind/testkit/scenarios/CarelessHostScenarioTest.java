package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.json.UnbindJson;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host application that logs everything it touches, whole and at DEBUG: the request and documents
 * with a settlement card, a new account and the legal representative's identity number, the preview,
 * every snapshot and event, the stored record, and every exception, the malformed inputs' included.
 * {@code SecretHygieneTest} scans what it wrote; nothing may show a number in clear.
 */
class CarelessHostScenarioTest {

    /** The legal representative's identity number, in clear only here. */
    private static final String IDENTITY_NUMBER = "11010519491231002X";

    @Test
    void aHostThatLogsEverythingStillPrintsNoNumberInClear() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        List<Document> documents = new ArrayList<>(allDocuments());
        documents.add(new Document.LegalRepresentativeIdentity("张伟", IdentityNumber.of(IDENTITY_NUMBER)));
        UnbindRequest request = fullReplacement().documents(documents).build();
        CarelessHost.logs("request", request);
        CarelessHost.logs("documents", documents);
        CarelessHost.logs("preview", merchant.unbinder.preview(request));

        CaseSnapshot opened = CarelessHost.logs(merchant.unbinder.open(request));
        CaseSnapshot done = merchant.agreeToFees(opened);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        CarelessHost.logs("stored record", merchant.store.load(done.id().value()).orElseThrow());
        CarelessHost.logs("backup", merchant.unbinder.verifyBackup(done.id()));
        CarelessHost.logs("restored terminal data", merchant.unbinder.restoreBackup(done.id()));
        CarelessHost.logs("events", merchant.events);
    }

    @Test
    void aHostThatLogsEveryRefusalStillPrintsNoNumberInClear() {
        MerchantCase merchant = new MerchantCase();
        // A card number with a wrong check digit, and an identity number with a wrong one.
        List<Document> wrong = List.of(new Document.SettlementAccountProof(new SettlementAccount(
                SettlementAccountKind.BANK_CARD, AccountNumber.of("6222021001123456780"), "张伟", "工商银行")),
                new Document.LegalRepresentativeIdentity("张伟", IdentityNumber.of("110105194912310021")));
        CaseSnapshot held = CarelessHost.logs(merchant.unbinder.open(fullReplacement().documents(wrong).build()));
        CarelessHost.logs("violations", held.violations());

        PosUnbindException twice = assertThrows(PosUnbindException.class,
                () -> merchant.unbinder.open(fullReplacement().documents(wrong).build()));
        CarelessHost.logs(twice);
        assertEquals(CoreErrorCode.TERMINAL_ALREADY_IN_CASE, twice.errorCode());

        // Malformed JSON that carries clear numbers next to the fault: the refusal must not quote them.
        InvalidRequestException badKind = assertThrows(InvalidRequestException.class, () -> UnbindJson.readDocuments("""
                [{"type":"SETTLEMENT_ACCOUNT","account":{"kind":"GOLD_CARD","number":"6222021001123456789",
                  "holderName":"张伟","institutionName":"工商银行"}}]"""));
        CarelessHost.logs(badKind);
        InvalidRequestException badIdentity = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readDocuments("""
                        [{"type":"LEGAL_REPRESENTATIVE_IDENTITY","name":"张伟","identityNumber":"11010519491231002X",
                          "identityNumber":"110105194912310021"}, 7]"""));
        CarelessHost.logs(badIdentity);
    }
}
