package io.posunbind.json;

import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.InvalidRequestException;
import io.posunbind.Unbinder;
import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The merchant agrees to one exact fee quote: pass {@link #toConsent} to
 * {@link Unbinder#consentToFees}.
 *
 * <pre>{@code
 * {"quoteId":"Q-2026-0001","total":{"minorUnits":26800,"currency":"CNY"},
 *  "actor":{"id":"merchant:898310058120001","role":"merchant"}}
 * }</pre>
 *
 * @param quoteId the quote agreed to, as the case's snapshot shows it
 * @param total   the total agreed to, as shown to the merchant
 * @param actor   who agrees
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record FeeConsentCommand(String quoteId, Money total, Actor actor) implements UnbindCommand {

    /**
     * Checks the fields.
     *
     * @throws InvalidRequestException listing every problem
     */
    public FeeConsentCommand {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.identifier(problems, "quoteId", quoteId, InputText.MAX_DOCUMENT_IDENTIFIER_LENGTH);
        if (total == null) {
            problems.add(new RuleViolation(CoreErrorCode.INVALID_REQUEST.code(), "total",
                    "total is required: the total the merchant was shown"));
        }
        InputText.actor(problems, "actor", actor);
        InputText.requireNone(problems, "fee consent");
    }

    /** The consent, given at the host's current time (from its clock, never the client's). */
    public FeeConsent toConsent(Instant consentedAt) {
        return new FeeConsent(quoteId, total, actor, Objects.requireNonNull(consentedAt, "consentedAt"));
    }
}
