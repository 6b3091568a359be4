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
 * The merchant declines the fees: pass the actor to {@link Unbinder#declineFees}.
 *
 * <pre>{@code
 * {"actor":{"id":"merchant:898310058120001","role":"merchant"}}
 * }</pre>
 *
 * @param actor who declines
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record DeclineFeesCommand(Actor actor) implements UnbindCommand {

    /**
     * Checks the actor.
     *
     * @throws InvalidRequestException when it is missing
     */
    public DeclineFeesCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.actor(problems, "actor", actor);
        InputText.requireNone(problems, "fee decline");
    }
}
