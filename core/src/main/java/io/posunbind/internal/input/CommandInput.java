package io.posunbind.internal.input;

import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks of {@code Unbinder}'s commands at the public boundary: a missing case id, actor, reason or
 * answer is a coded {@link InvalidRequestException} naming the field, never a
 * {@link NullPointerException}; notes, documents and decisions pass the same limits and masking as when
 * read from JSON. Stateless and thread-safe.
 */
public final class CommandInput {

    private CommandInput() {
    }

    /** Checks that a command has its case and actor. */
    public static void require(String command, Object caseId, Object actor) {
        List<RuleViolation> problems = start(caseId, actor);
        InputText.requireNone(problems, command);
    }

    /** Checks a command's case, actor and note; returns the note masked. */
    public static String note(String command, Object caseId, Object actor, String field, String note,
            boolean required) {
        List<RuleViolation> problems = start(caseId, actor);
        String masked = InputText.note(problems, field, note, required);
        InputText.requireNone(problems, command);
        return masked;
    }

    /** Checks a command's case, actor and answer; the answer itself is never changed or echoed. */
    public static void answer(String command, Object caseId, Object actor, String answer) {
        List<RuleViolation> problems = start(caseId, actor);
        InputText.answer(problems, "answer", answer);
        InputText.requireNone(problems, command);
    }

    /** Checks a command's case, actor and documents; returns the documents with their free text masked. */
    public static List<Document> documents(String command, Object caseId, Object actor, List<Document> documents) {
        List<RuleViolation> problems = start(caseId, actor);
        List<Document> checked = documents;
        if (documents == null || documents.stream().anyMatch(Objects::isNull)) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "documents",
                    "documents must not be or contain null"));
        } else {
            checked = List.copyOf(InputText.documents(problems, "documents", documents));
        }
        InputText.requireNone(problems, command);
        return checked;
    }

    /** Checks a command's case, actor and decision; returns the decision with its message masked. */
    public static InstitutionDecision decision(String command, Object caseId, Object actor,
            InstitutionDecision decision) {
        List<RuleViolation> problems = start(caseId, actor);
        InstitutionDecision checked = decision;
        if (decision == null) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "decision", "decision is required"));
        } else {
            checked = InputText.decision(problems, "decision", decision);
        }
        InputText.requireNone(problems, command);
        return checked;
    }

    /** Checks that a value is present. */
    public static void present(String command, String field, Object value) {
        if (value == null) {
            InputText.requireNone(List.of(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), field,
                    field + " is required")), command);
        }
    }

    private static List<RuleViolation> start(Object caseId, Object actor) {
        List<RuleViolation> problems = new ArrayList<>();
        if (caseId == null) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "caseId", "caseId is required"));
        }
        InputText.actor(problems, "actor", actor);
        return problems;
    }
}
