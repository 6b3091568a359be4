package io.posunbind.json;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's own reviewer decides (four eyes: not the requester): call
 * {@link Unbinder#approveInternally} or {@link Unbinder#rejectInternally} by the
 * verdict.
 *
 * <pre>{@code
 * {"reviewer":{"id":"operator:wang.fang","role":"reviewer"},"verdict":"APPROVE","note":"材料齐全"}
 * }</pre>
 *
 * @param reviewer who reviews
 * @param verdict  approve or reject
 * @param note     the reviewer's words, may be empty; at most {@value UnbindRequest#MAX_NOTE_LENGTH}
 *                 characters, card, account and identity numbers masked
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record InternalReviewCommand(Actor reviewer, Verdict verdict, String note) implements UnbindCommand {

    /** The reviewer's two answers. */
    public enum Verdict {
        /** The unbind may go ahead. */
        APPROVE,
        /** The unbind is refused; the case ends rejected. */
        REJECT
    }

    /**
     * Checks the fields; a missing note is an empty one.
     *
     * @throws InvalidRequestException listing every problem
     */
    public InternalReviewCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.actor(problems, "reviewer", reviewer);
        if (verdict == null) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "verdict",
                    "verdict is required: one of " + List.of(Verdict.values())));
        }
        note = InputText.note(problems, "note", note == null ? "" : note, false);
        InputText.requireNone(problems, "internal review");
    }

    /** Whether the reviewer approves. */
    public boolean approves() {
        return verdict == Verdict.APPROVE;
    }
}
