package io.posunbind.json;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * Someone hands in documents for a case: pass the fields to {@link Unbinder#submitDocuments}. Each
 * document names its {@code "type"}, as in a request.
 *
 * <pre>{@code
 * {"actor":{"id":"merchant:898310058120001","role":"merchant"},
 *  "documents":[{"type":"BUSINESS_LICENCE","unifiedSocialCreditCode":"91310000MA1FL4B24G","merchantName":"上海示例餐饮有限公司"}]}
 * }</pre>
 *
 * @param actor     who hands them in
 * @param documents the documents, at least one; free text in them is masked
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record SubmitDocumentsCommand(Actor actor, List<Document> documents) implements UnbindCommand {

    /**
     * Checks the fields, masks free text and copies the list.
     *
     * @throws InvalidRequestException listing every problem
     */
    public SubmitDocumentsCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.actor(problems, "actor", actor);
        if (documents == null || documents.isEmpty()) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "documents",
                    "documents is required: at least one document"));
        } else {
            for (int i = 0; i < documents.size(); i++) {
                if (documents.get(i) == null) {
                    problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "documents[" + i + "]",
                            "a document is null"));
                }
            }
            if (problems.isEmpty()) {
                documents = List.copyOf(InputText.documents(problems, "documents", documents));
            }
        }
        InputText.requireNone(problems, "documents command");
    }
}
