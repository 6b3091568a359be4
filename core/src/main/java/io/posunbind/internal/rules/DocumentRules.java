package io.posunbind.internal.rules;

import io.posunbind.BindingKind;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
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

/**
 * Rule "required documents": which documents a case needs, from reason × scope × replacement, and
 * whether the submitted ones are valid and match what the provider reports. Returns every problem at
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

    /** The documents a request needs, before any provider-specific additions. */
    public Set<DocumentKind> requiredDocuments(UnbindRequest request) {
        Set<DocumentKind> required = EnumSet.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.TERMINAL_INFORMATION);
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
        List<RuleViolation> violations = new ArrayList<>();
        Set<DocumentKind> required = requiredDocuments(request);
        required.addAll(extra);
        for (DocumentKind kind : required) {
            if (documents.stream().noneMatch(document -> document.kind() == kind)) {
                violations.add(RuleViolation.of(RuleCode.DOCUMENT_MISSING, kind.name(),
                        "Submit the " + describe(kind)));
            }
        }
        for (Document document : documents) {
            violations.addAll(validate(request, document, terminal, merchantInfo));
        }
        return violations;
    }

    private List<RuleViolation> validate(UnbindRequest request, Document document, Terminal terminal,
            MerchantInfo merchantInfo) {
        List<RuleViolation> violations = new ArrayList<>();
        if (document instanceof Document.BusinessLicence licence) {
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
        } else if (document instanceof Document.LegalRepresentativeIdentity identity) {
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

    private static String describe(DocumentKind kind) {
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
