package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NAME;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Documents missing or invalid are reported all at once; nothing changes until they are in order. */
class DocumentsScenarioTest {

    @Test
    void missingAndInvalidDocumentsAreReportedAllAtOnce() {
        MerchantCase merchant = new MerchantCase();
        // A mistyped licence code and a card number with a wrong check digit; no terminal info, no training.
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(
                new Document.BusinessLicence("91310000MA1FL4B24A", MERCHANT_NAME),
                new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_CARD,
                        AccountNumber.of("6222021001123456780"), MERCHANT_NAME, "工商银行")))
                .build());

        assertTrue(opened.isWaitingFor(WaitReason.DOCUMENTS));
        assertEquals(List.of("TERMINAL_INFORMATION", "TRAINING_MATERIAL",
                "BUSINESS_LICENCE.unifiedSocialCreditCode", "SETTLEMENT_ACCOUNT.number"),
                opened.violations().stream().map(RuleViolation::field).toList());
        assertTrue(opened.violations().stream().noneMatch(v -> v.message().contains("6222021001123456780")));
        assertEquals(0, merchant.sandbox.requests().effects().size());

        // The merchant hands in corrected documents; the case moves on to the fees.
        CaseSnapshot corrected = merchant.unbinder.submitDocuments(opened.id(), OPERATOR, allDocuments());
        assertTrue(corrected.isWaitingFor(WaitReason.FEE_CONSENT), corrected.toString());
        assertTrue(corrected.violations().stream().allMatch(v -> v.code().equals("RULE-FEE-CONSENT-REQUIRED")));
    }

    @Test
    void aTerminalInformationThatNamesAnotherTerminalIsAMismatch() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(MerchantCase.request().scope(io.posunbind.BindingKind.DEVICE)
                .documents(new Document.BusinessLicence(
                        io.posunbind.testkit.sandbox.SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE, MERCHANT_NAME),
                        new Document.TerminalInformation("0820009999", TERMINAL_MODEL))
                .build());
        assertEquals(List.of("RULE-DOCUMENT-MISMATCH"),
                opened.violations().stream().map(RuleViolation::code).toList());
    }

    @Test
    void aMalformedRequestIsRefusedWithEveryProblemNamed() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> UnbindRequest.builder().merchantNumber(" ").terminalSerial("x".repeat(65)).build());
        assertEquals(CoreErrorCode.INVALID_REQUEST, error.errorCode());
        assertEquals(List.of("providerId", "merchantNumber", "terminalSerial", "reason", "scope", "requestedBy"),
                error.violations().stream().map(RuleViolation::field).toList());
    }

    @Test
    void oneOpenCasePerTerminal() {
        MerchantCase merchant = new MerchantCase();
        merchant.unbinder.open(fullReplacement().build());
        var error = assertThrows(io.posunbind.spi.PosUnbindException.class,
                () -> merchant.unbinder.open(fullReplacement().build()));
        assertEquals(CoreErrorCode.TERMINAL_ALREADY_IN_CASE, error.errorCode());
    }

    @Test
    void aTerminalServingTwoMerchantsIsBlockedBeforeAnythingChanges() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.addMerchant("898310058120002", "另一家商户", "91110000802100433B", "李四");
        merchant.sandbox.bindTerminalToMerchant(TERMINAL_SERIAL, "898310058120002");

        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());

        assertEquals(CaseState.BLOCKED, opened.state());
        assertEquals("RULE-ONE-TERMINAL-ONE-MERCHANT", opened.failureCode().orElseThrow());
        assertEquals(0, merchant.sandbox.requests().effects().size());
        assertFalse(opened.state().isOpen());
    }
}
