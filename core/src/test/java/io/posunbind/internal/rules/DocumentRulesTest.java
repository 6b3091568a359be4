package io.posunbind.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.ReplacementTerminal;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentRulesTest {

    static final String VALID_CREDIT_CODE = "91310000MA1FL4B24G";
    static final String VALID_CARD = "6222821234560017";

    private final DocumentRules rules = new DocumentRules(Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"),
            ZoneOffset.UTC));

    private static UnbindRequest.Builder request(UnbindReason reason) {
        return UnbindRequest.builder().provider("p").merchantNumber("M1").terminalSerial("SN1").reason(reason)
                .requestedBy(Actor.operator("op"));
    }

    private static List<String> codes(List<RuleViolation> violations) {
        return violations.stream().map(RuleViolation::code).toList();
    }

    @Test
    void requirementsFollowReasonScopeAndReplacement() {
        assertEquals(EnumSet.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.TERMINAL_INFORMATION),
                rules.requiredDocuments(request(UnbindReason.DEVICE_FAULTY).scope(BindingKind.DEVICE).build()));
        assertEquals(EnumSet.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.TERMINAL_INFORMATION,
                DocumentKind.SETTLEMENT_ACCOUNT, DocumentKind.TRAINING_MATERIAL,
                DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY),
                rules.requiredDocuments(request(UnbindReason.CLOSURE).allBindings()
                        .replacement(ReplacementTerminal.of("N", "M")).build()));
        assertTrue(rules.requiredDocuments(request(UnbindReason.DEVICE_LOST_OR_STOLEN).scope(BindingKind.DEVICE)
                .build()).contains(DocumentKind.LOSS_REPORT));
        assertTrue(rules.requiredDocuments(request(UnbindReason.OWNERSHIP_TRANSFER).scope(BindingKind.DEVICE)
                .build()).contains(DocumentKind.OWNERSHIP_TRANSFER_AGREEMENT));
    }

    @Test
    void missingAndInvalidDocumentsAreReportedTogether() {
        UnbindRequest request = request(UnbindReason.CLOSURE).allBindings().build();
        List<Document> documents = List.of(
                new Document.BusinessLicence("91310000MA1FL4B24A", "示例餐饮"),
                new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_CARD,
                        AccountNumber.of("6222821234560018"), "示例餐饮", "工商银行")),
                new Document.LegalRepresentativeIdentity("张三", IdentityNumber.of("110105194912310021")));

        List<RuleViolation> violations = rules.check(request, List.of(), documents, null, null);

        assertEquals(List.of(RuleCode.DOCUMENT_MISSING.code(), RuleCode.DOCUMENT_INVALID.code(),
                RuleCode.DOCUMENT_INVALID.code(), RuleCode.DOCUMENT_INVALID.code()), codes(violations));
        assertEquals("TERMINAL_INFORMATION", violations.get(0).field());
        for (RuleViolation violation : violations) {
            assertFalse(violation.message().contains("6222821234560018"), violation.message());
            assertFalse(violation.message().contains("110105194912310021"), violation.message());
        }
    }

    @Test
    void validDocumentsThatMatchTheInventoryPass() {
        UnbindRequest request = request(UnbindReason.PAYMENT_SYSTEM_CHANGE).allBindings().build();
        List<Document> documents = List.of(new Document.BusinessLicence(VALID_CREDIT_CODE, "示例餐饮"),
                new Document.TerminalInformation("SN1", "A920"),
                new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_CARD,
                        AccountNumber.of(VALID_CARD), "示例餐饮", "工商银行")));
        MerchantInfo info = new MerchantInfo("M1", "示例餐饮", VALID_CREDIT_CODE, "张三", 1);
        assertEquals(List.of(), rules.check(request, List.of(), documents, null, info));
    }

    @Test
    void aLicenceForAnotherCompanyIsAMismatch() {
        UnbindRequest request = request(UnbindReason.PAYMENT_SYSTEM_CHANGE).scope(BindingKind.DEVICE).build();
        List<Document> documents = List.of(new Document.BusinessLicence(VALID_CREDIT_CODE, "示例餐饮"),
                new Document.TerminalInformation("SN2", "A920"));
        MerchantInfo info = new MerchantInfo("M1", "别家", "91110000802100433B", "李四", 1);
        assertEquals(List.of(RuleCode.DOCUMENT_MISMATCH.code(), RuleCode.DOCUMENT_MISMATCH.code()),
                codes(rules.check(request, List.of(), documents, null, info)));
    }

    @Test
    void documentsTheInstitutionAsksForBecomeRequired() {
        UnbindRequest request = request(UnbindReason.PAYMENT_SYSTEM_CHANGE).scope(BindingKind.DEVICE).build();
        List<Document> documents = List.of(new Document.BusinessLicence(VALID_CREDIT_CODE, "示例餐饮"),
                new Document.TerminalInformation("SN1", "A920"));
        assertEquals(List.of("USAGE_RECORD_EXPORT"), rules.check(request, List.of(DocumentKind.USAGE_RECORD_EXPORT),
                documents, null, null).stream().map(RuleViolation::field).toList());
    }

    // --- checklists per jurisdiction (issue 10, item 8) ---

    /** Today's rules, written out as they stood before checklists: the Chinese profile must keep them. */
    private static EnumSet<DocumentKind> chineseRulesBeforeChecklists(UnbindRequest request) {
        EnumSet<DocumentKind> required = EnumSet.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.TERMINAL_INFORMATION);
        if (request.includes(BindingKind.ACCOUNT)) {
            required.add(DocumentKind.SETTLEMENT_ACCOUNT);
        }
        if (request.replacement().isPresent()) {
            required.add(DocumentKind.TRAINING_MATERIAL);
        }
        if (request.reason() == UnbindReason.DEVICE_LOST_OR_STOLEN) {
            required.add(DocumentKind.LOSS_REPORT);
        }
        if (request.reason() == UnbindReason.OWNERSHIP_TRANSFER) {
            required.add(DocumentKind.OWNERSHIP_TRANSFER_AGREEMENT);
        }
        if (request.reason() == UnbindReason.CLOSURE && request.includes(BindingKind.MERCHANT_INFO)) {
            required.add(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY);
        }
        return required;
    }

    @Test
    void theChineseProfileAsksForWhatTheRulesAlwaysAskedForInEveryCase() {
        List<BindingKind[]> scopes = List.of(new BindingKind[] {BindingKind.DEVICE},
                new BindingKind[] {BindingKind.DEVICE, BindingKind.ACCOUNT},
                new BindingKind[] {BindingKind.DEVICE, BindingKind.MERCHANT_INFO},
                BindingKind.values());
        for (UnbindReason reason : UnbindReason.values()) {
            for (BindingKind[] scope : scopes) {
                for (boolean replaced : new boolean[] {false, true}) {
                    UnbindRequest.Builder builder = request(reason).scope(scope).reasonNote("moving on");
                    if (replaced) {
                        builder.replacement(ReplacementTerminal.of("N", "M"));
                    }
                    UnbindRequest request = builder.build();
                    assertEquals(chineseRulesBeforeChecklists(request),
                            rules.requiredDocuments(request, DocumentChecklist.china()), reason + " " + List.of(scope)
                                    + (replaced ? " with replacement" : ""));
                }
            }
        }
    }

    @Test
    void anInternationalMerchantsRegistrationNumberIsNoCreditCode() {
        UnbindRequest request = request(UnbindReason.CLOSURE).allBindings().build();
        MerchantInfo dutch = new MerchantInfo("M1", "Bakkerij de Vries B.V.", "12345678", "J. de Vries", 1);
        List<Document> documents = List.of(new Document.BusinessRegistration("12345678", "Bakkerij de Vries B.V."),
                new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
                        AccountNumber.of("NL91ABNA0417164300"), "Bakkerij de Vries B.V.", "ABN AMRO")),
                new Document.LegalRepresentativeIdentity("J. de Vries", IdentityNumber.of("NX1234567")));

        assertEquals(List.of(), rules.check(request, DocumentChecklist.international(), List.of(), documents, null,
                dutch));
        // A licence record carrying the registration number passes too: no GB 32100 check outside China.
        assertEquals(List.of(), rules.check(request, DocumentChecklist.international(), List.of(),
                List.of(new Document.BusinessLicence("12345678", "Bakkerij de Vries B.V."), documents.get(1)), null,
                dutch));
    }

    @Test
    void theChineseProfileRefusesARegistrationWithoutCreditCode() {
        List<RuleViolation> violations = rules.check(request(UnbindReason.DEVICE_FAULTY).scope(BindingKind.DEVICE)
                .build(), DocumentChecklist.china(), List.of(), List.of(new Document.BusinessRegistration("12345678",
                "Bakkerij de Vries B.V.")), null, null);

        assertTrue(violations.stream().anyMatch(v -> v.code().equals(RuleCode.DOCUMENT_INVALID.code())
                && v.field().equals("BUSINESS_LICENCE")), violations.toString());
    }
}
