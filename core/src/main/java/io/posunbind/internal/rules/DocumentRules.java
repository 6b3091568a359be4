package io.posunbind.internal.rules;

import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.validation.BankCardNumberValidator;
import io.posunbind.validation.ResidentIdentityNumberValidator;
import io.posunbind.validation.UnifiedSocialCreditCodeValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rule "required documents": which documents a case needs under its jurisdiction's
 * {@link DocumentChecklist} (Chinese by default), from reason × scope × replacement, and whether the
 * submitted ones are valid and match what the provider reports. Returns every problem at
 * once. Immutable and thread-safe.
 */
public final class DocumentRules {

    private final UnifiedSocialCreditCodeValidator creditCodeValidator = new UnifiedSocialCreditCodeValidator();
    private final BankCardNumberValidator cardValidator = new BankCardNumberValidator();
    private final ResidentIdentityNumberValidator identityValidator;

    /** Creates the rules; the clock decides whether a birth date lies in the future. */
    public DocumentRules(Clock clock) {
        this.identityValidator = new ResidentIdentityNumberValidator(clock);
    }

    /** The documents a request needs under the Chinese checklist, before any provider-specific additions. */
    public Set<DocumentKind> requiredDocuments(UnbindRequest request) {
        return requiredDocuments(request, DocumentChecklist.china());
    }

    /** The documents a request needs under a checklist, before any provider-specific additions. */
    public Set<DocumentKind> requiredDocuments(UnbindRequest request, DocumentChecklist checklist) {
        Set<DocumentKind> required = EnumSet.noneOf(DocumentKind.class);
        required.addAll(checklist.requiredFor(request.reason().name(),
                request.scope().stream().map(Enum::name).collect(Collectors.toSet()),
                request.replacement().isPresent()));
        return required;
    }

    /**
     * Checks submitted documents against the requirements and the inventory.
     *
     * @param request      the case's request
     * @param extra        further kinds required (by the provider or the institution)
     * @param documents    what was submitted
     * @param terminal     the terminal as inventoried, or null when unknown
     * @param merchantInfo the merchant info as inventoried, or null when unknown
     * @return every violation, empty when all is in order
     */
    public List<RuleViolation> check(UnbindRequest request, Collection<DocumentKind> extra, List<Document> documents,
            Terminal terminal, MerchantInfo merchantInfo) {
        return check(request, DocumentChecklist.china(), extra, documents, terminal, merchantInfo);
    }

    /**
     * Checks submitted documents against a checklist's requirements and checks, and the inventory.
     *
     * @param checklist the jurisdiction's checklist the case follows
     * @see #check(UnbindRequest, Collection, List, Terminal, MerchantInfo)
     */
    public List<RuleViolation> check(UnbindRequest request, DocumentChecklist checklist,
            Collection<DocumentKind> extra, List<Document> documents, Terminal terminal, MerchantInfo merchantInfo) {
        List<RuleViolation> violations = new ArrayList<>();
        Set<DocumentKind> required = requiredDocuments(request, checklist);
        required.addAll(extra);
        for (DocumentKind kind : required) {
            if (documents.stream().noneMatch(document -> document.kind() == kind)) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_MISSING, kind.name(),
                        "Submit the " + describe(kind, checklist)));
            }
        }
        for (Document document : documents) {
            violations.addAll(validate(request, checklist, document, terminal, merchantInfo));
        }
        return violations;
    }

    private List<RuleViolation> validate(UnbindRequest request, DocumentChecklist checklist, Document document,
            Terminal terminal, MerchantInfo merchantInfo) {
        List<RuleViolation> violations = new ArrayList<>();
        boolean creditCode = checklist.checks(DocumentChecklist.Check.UNIFIED_SOCIAL_CREDIT_CODE);
        if (document instanceof Document.BusinessRegistration registration) {
            if (creditCode) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, "BUSINESS_LICENCE",
                        "Checklist " + checklist.profile() + " needs the business licence with its unified social"
                                + " credit code (营业执照), not a registration without it"));
            }
            if (registration.registrationNumber().isBlank()) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, "BUSINESS_LICENCE.registrationNumber",
                        "The business's registration number is required"));
            }
            if (registration.merchantName().isBlank()) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, "BUSINESS_LICENCE.merchantName",
                        "The merchant name on the registration is required"));
            }
        } else if (document instanceof Document.BusinessLicence licence && !creditCode) {
            // Outside China the licence's number is the business's own registration number: not checked
            // against GB 32100, nor against a code the provider may not hold.
            if (licence.merchantName().isBlank()) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, "BUSINESS_LICENCE.merchantName",
                        "The merchant name on the licence is required"));
            }
        } else if (document instanceof Document.BusinessLicence licence) {
            String field = "BUSINESS_LICENCE.unifiedSocialCreditCode";
            List<RuleViolation> problems = creditCodeValidator.validate(field, licence.unifiedSocialCreditCode());
            violations.addAll(asDocumentInvalid(problems));
            if (problems.isEmpty() && merchantInfo != null
                    && !merchantInfo.unifiedSocialCreditCode().equalsIgnoreCase(licence.unifiedSocialCreditCode())) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_MISMATCH, field,
                        "The licence's unified social credit code differs from the one the institution holds for"
                                + " merchant " + merchantInfo.merchantNumber()));
            }
            if (licence.merchantName().isBlank()) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, "BUSINESS_LICENCE.merchantName",
                        "The merchant name on the licence is required"));
            }
        } else if (document instanceof Document.TerminalInformation info) {
            if (!info.serialNumber().equals(request.terminalSerial())) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_MISMATCH, "TERMINAL_INFORMATION.serialNumber",
                        "The terminal information names serial " + info.serialNumber() + " but the case unbinds "
                                + request.terminalSerial()));
            }
            if (terminal != null && !terminal.model().equalsIgnoreCase(info.model())) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_MISMATCH, "TERMINAL_INFORMATION.model",
                        "The terminal information names model " + info.model() + " but the provider reports "
                                + terminal.model()));
            }
        } else if (document instanceof Document.SettlementAccountProof proof) {
            if (proof.account().kind() == SettlementAccountKind.BANK_CARD) {
                violations.addAll(asDocumentInvalid(cardValidator.validate("SETTLEMENT_ACCOUNT.number",
                        proof.account().number().reveal())));
            }
        } else if (document instanceof Document.LegalRepresentativeIdentity identity
                && checklist.checks(DocumentChecklist.Check.RESIDENT_IDENTITY_NUMBER)) {
            violations.addAll(asDocumentInvalid(identityValidator.validate(
                    "LEGAL_REPRESENTATIVE_IDENTITY.identityNumber", identity.identityNumber().reveal())));
        } else if (document instanceof Document.FileReference file) {
            if (!file.sha256Hex().matches("[0-9a-fA-F]{64}")) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, file.kind().name() + ".sha256Hex",
                        "Give the file's SHA-256 as 64 hexadecimal characters"));
            }
            if (file.reference().isBlank()) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_INVALID, file.kind().name() + ".reference",
                        "Say where the file is kept"));
            }
        }
        return violations;
    }

    /** Keeps the validator's specific code in the message and reports it as an invalid document. */
    private static List<RuleViolation> asDocumentInvalid(List<RuleViolation> problems) {
        return problems.stream()
                .map(problem -> new RuleViolation(RuleCode.DOCUMENT_INVALID.code(), problem.field(),
                        problem.message() + " [" + problem.code() + "]"))
                .toList();
    }

    private static String describe(DocumentKind kind, DocumentChecklist checklist) {
        if (kind == DocumentKind.BUSINESS_LICENCE
                && !checklist.checks(DocumentChecklist.Check.UNIFIED_SOCIAL_CREDIT_CODE)) {
            return "business registration (licence or registry extract) with the merchant's registered name";
        }
        return switch (kind) {
            case BUSINESS_LICENCE -> "business licence (营业执照) with its unified social credit code";
            case TERMINAL_INFORMATION -> "current terminal's serial number and model";
            case SETTLEMENT_ACCOUNT -> "settlement account information (结算账户)";
            case USAGE_RECORD_EXPORT -> "export of the old terminal's usage records (交易明细)";
            case TRAINING_MATERIAL -> "staff training material for the new terminal";
            case LEGAL_REPRESENTATIVE_IDENTITY -> "legal representative's identity document";
            case LOSS_REPORT -> "loss or theft report for the device";
            case OWNERSHIP_TRANSFER_AGREEMENT -> "ownership transfer agreement";
        };
    }
}
