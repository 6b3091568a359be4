package io.posunbind.json;

import io.posunbind.Actor;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.List;

/**
 * An operator puts a failed case back to work: pass the fields to {@link Unbinder#retry}.
 *
 * <pre>{@code
 * {"actor":{"id":"operator:li.na","role":"operator"},"reason":"服务商已修复接口，重试"}
 * }</pre>
 *
 * @param actor  the operator
 * @param reason why it is retried: required, at most {@value UnbindRequest#MAX_NOTE_LENGTH}
 *               characters; card, account and identity numbers in it are masked
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RetryCommand(Actor actor, String reason) implements UnbindCommand {

    /**
     * Checks the fields and masks sensitive numbers in the reason.
     *
     * @throws InvalidRequestException listing every problem
     */
    public RetryCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.actor(problems, "actor", actor);
        reason = InputText.note(problems, "reason", reason, true);
        InputText.requireNone(problems, "retry command");
    }
}
