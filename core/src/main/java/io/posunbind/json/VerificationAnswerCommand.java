package io.posunbind.json;

import io.posunbind.Actor;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.List;

/**
 * The merchant answers a verification challenge (the SMS code sent to the registered phone): pass the
 * fields to {@link Unbinder#answerVerification}. {@link #toString()} never shows the answer.
 *
 * <pre>{@code
 * {"actor":{"id":"merchant:898310058120001","role":"merchant"},"answer":"246810"}
 * }</pre>
 *
 * @param actor  who answers
 * @param answer the answer as typed: 1 to 64 characters on one line
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record VerificationAnswerCommand(Actor actor, String answer) implements UnbindCommand {

    /**
     * Checks the fields.
     *
     * @throws InvalidRequestException listing every problem, never quoting the answer
     */
    public VerificationAnswerCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.actor(problems, "actor", actor);
        InputText.answer(problems, "answer", answer);
        InputText.requireNone(problems, "verification answer");
    }

    @Override
    public String toString() {
        return "VerificationAnswerCommand[actor=" + actor + ", answer=***]";
    }
}
