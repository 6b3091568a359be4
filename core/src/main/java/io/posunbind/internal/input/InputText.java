package io.posunbind.internal.input;

import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.validation.FreeTextValidator;
import io.posunbind.validation.IdentifierValidator;
import io.posunbind.validation.SensitiveNumberScrubber;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks identifiers and free text where they enter, adding every problem to a caller's list, and masks
 * card, account, identity and mobile numbers typed into free text before anything stores or prints it.
 * Stateless and thread-safe.
 */
public final class InputText {

    /** Longest name: a merchant's, an account holder's, a bank's, a person's, a terminal model. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Longest reference to a stored file. */
    public static final int MAX_REFERENCE_LENGTH = 1000;
    /** Longest identifier inside a document (a serial, a credit code, a checksum). */
    public static final int MAX_DOCUMENT_IDENTIFIER_LENGTH = 64;
    /** Longest message of an institution's decision. */
    public static final int MAX_DECISION_MESSAGE_LENGTH = 2000;
    /** Longest answer to a verification challenge. */
    public static final int MAX_ANSWER_LENGTH = 64;

    private static final FreeTextValidator NAME = new FreeTextValidator(MAX_NAME_LENGTH, false);
    private static final FreeTextValidator REFERENCE = new FreeTextValidator(MAX_REFERENCE_LENGTH, false);
    private static final IdentifierValidator DOCUMENT_IDENTIFIER =
            new IdentifierValidator(MAX_DOCUMENT_IDENTIFIER_LENGTH);

    private InputText() {
    }

    /** Adds the problems of an identifier of at most {@code maxLength} characters. */
    public static void identifier(List<RuleViolation> problems, String field, String value, int maxLength) {
        problems.addAll(new IdentifierValidator(maxLength).validate(field, value));
    }

    /**
     * Adds the problems of a free text and returns it with sensitive numbers masked ({@code null} stays
     * {@code null}, reported as missing).
     */
    public static String freeText(List<RuleViolation> problems, String field, String value, int maxLength,
            boolean multiLine) {
        return freeText(problems, field, value, new FreeTextValidator(maxLength, multiLine));
    }

    /** A single-line name of at most {@value #MAX_NAME_LENGTH} characters, masked. */
    public static String name(List<RuleViolation> problems, String field, String value) {
        return freeText(problems, field, value, NAME);
    }

    /** The problems of a list of documents, and the documents with their free text masked. */
    public static List<Document> documents(List<RuleViolation> problems, String field, List<Document> documents) {
        List<Document> checked = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            checked.add(document == null ? null : document(problems, field + "[" + i + "]", document));
        }
        return checked;
    }

    /** The problems of one document, and the document with its free text masked. */
    public static Document document(List<RuleViolation> problems, String field, Document document) {
        String at = field + ".";
        if (document instanceof Document.BusinessLicence licence) {
            problems.addAll(DOCUMENT_IDENTIFIER.validate(at + "unifiedSocialCreditCode",
                    licence.unifiedSocialCreditCode()));
            return new Document.BusinessLicence(licence.unifiedSocialCreditCode(),
                    name(problems, at + "merchantName", licence.merchantName()));
        }
        if (document instanceof Document.BusinessRegistration registration) {
            problems.addAll(DOCUMENT_IDENTIFIER.validate(at + "registrationNumber",
                    registration.registrationNumber()));
            return new Document.BusinessRegistration(registration.registrationNumber(),
                    name(problems, at + "merchantName", registration.merchantName()));
        }
        if (document instanceof Document.TerminalInformation terminal) {
            problems.addAll(DOCUMENT_IDENTIFIER.validate(at + "serialNumber", terminal.serialNumber()));
            return new Document.TerminalInformation(terminal.serialNumber(),
                    name(problems, at + "model", terminal.model()));
        }
        if (document instanceof Document.SettlementAccountProof proof) {
            return new Document.SettlementAccountProof(settlementAccount(problems, at + "account", proof.account()));
        }
        if (document instanceof Document.FileReference file) {
            problems.addAll(DOCUMENT_IDENTIFIER.validate(at + "sha256Hex", file.sha256Hex()));
            return new Document.FileReference(file.kind(),
                    freeText(problems, at + "reference", file.reference(), REFERENCE), file.sha256Hex());
        }
        if (document instanceof Document.LegalRepresentativeIdentity identity) {
            return new Document.LegalRepresentativeIdentity(name(problems, at + "name", identity.name()),
                    identity.identityNumber());
        }
        return document;
    }

    /** The problems of a settlement account's names, and the account with its names masked. */
    public static SettlementAccount settlementAccount(List<RuleViolation> problems, String field,
            SettlementAccount account) {
        return new SettlementAccount(account.kind(), account.number(),
                name(problems, field + ".holderName", account.holderName()),
                name(problems, field + ".institutionName", account.institutionName()));
    }

    /** An institution's decision with its references checked and its message masked. */
    public static InstitutionDecision decision(List<RuleViolation> problems, String field,
            InstitutionDecision decision) {
        String at = field.isEmpty() ? "" : field + ".";
        problems.addAll(DOCUMENT_IDENTIFIER.validate(at + "applicationReference", decision.applicationReference()));
        if (!decision.reasonCode().isEmpty()) {
            problems.addAll(DOCUMENT_IDENTIFIER.validate(at + "reasonCode", decision.reasonCode()));
        }
        String message = freeText(problems, at + "message", decision.message(), MAX_DECISION_MESSAGE_LENGTH, true);
        return new InstitutionDecision(decision.outcome(), decision.applicationReference(), decision.reasonCode(),
                message, decision.requestedDocuments(), decision.decidedAt());
    }

    /** A command's actor: present (the actor's own record checks the rest). */
    public static void actor(List<RuleViolation> problems, String field, Object actor) {
        if (actor == null) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field,
                    field + " is required: every command carries who issues it"));
        }
    }

    /**
     * A command's note (a cancel or retry reason, a reviewer's note): at most
     * {@value UnbindRequest#MAX_NOTE_LENGTH} characters, masked; {@code required} ones not blank.
     */
    public static String note(List<RuleViolation> problems, String field, String value, boolean required) {
        if (value == null || (required && value.isBlank())) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field,
                    field + " is required: say why, in a few words"));
            return value;
        }
        return freeText(problems, field, value, UnbindRequest.MAX_NOTE_LENGTH, true);
    }

    /**
     * The answer to a verification challenge: 1 to {@value #MAX_ANSWER_LENGTH} characters on one line.
     * Never masked (the provider must see it as typed) and never echoed in a message.
     */
    public static void answer(List<RuleViolation> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field, field + " is required"));
            return;
        }
        problems.addAll(new FreeTextValidator(MAX_ANSWER_LENGTH, false).validate(field, value));
    }

    /** Throws when there are problems: an {@link InvalidRequestException} listing all of them. */
    public static void requireNone(List<RuleViolation> problems, String what) {
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The " + what + " is invalid", problems);
        }
    }

    private static String freeText(List<RuleViolation> problems, String field, String value,
            FreeTextValidator validator) {
        List<RuleViolation> found = validator.validate(field, value);
        problems.addAll(found);
        return value == null || !found.isEmpty() ? value : SensitiveNumberScrubber.scrub(value);
    }
}
