package io.posunbind.json;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.InstitutionDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * Someone records the institution's decision on the case's application, as a letter or a portal showed it:
 * pass the fields to {@link Unbinder#recordDecision}.
 *
 * <pre>{@code
 * {"actor":{"id":"operator:li.na","role":"operator"},
 *  "decision":{"outcome":"APPROVED","applicationReference":"SBX-APP-000001","reasonCode":"","message":"",
 *              "requestedDocuments":[],"decidedAt":"2026-11-25T08:00:00Z"}}
 * }</pre>
 *
 * @param actor    who records it
 * @param decision the decision; its references are checked and its message masked
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record DecisionCommand(Actor actor, InstitutionDecision decision) implements UnbindCommand {

    /**
     * Checks the fields and masks the decision's message.
     *
     * @throws InvalidRequestException listing every problem
     */
    public DecisionCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.actor(problems, "actor", actor);
        if (decision == null) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "decision",
                    "decision is required: the institution's decision"));
        } else {
            decision = InputText.decision(problems, "decision", decision);
        }
        InputText.requireNone(problems, "decision command");
    }
}
