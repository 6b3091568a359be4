package io.posunbind;

import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The merchant's explicit agreement to one exact fee quote. A consent to another quote id or total
 * does not count. Immutable and thread-safe.
 *
 * @param quoteId     the quote agreed to
 * @param total       the total agreed to, as shown to the merchant
 * @param consentedBy who agreed
 * @param consentedAt when
 */
@API(status = API.Status.STABLE, since = "0.1")
public record FeeConsent(String quoteId, Money total, Actor consentedBy, Instant consentedAt) {

    /**
     * Checks the fields.
     *
     * @throws InvalidRequestException listing every missing or malformed field
     */
    public FeeConsent {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.identifier(problems, "quoteId", quoteId, InputText.MAX_DOCUMENT_IDENTIFIER_LENGTH);
        if (total == null) {
            problems.add(InvalidRequestException.problem("total", "is required: the total the merchant was shown"));
        }
        InputText.actor(problems, "consentedBy", consentedBy);
        if (consentedAt == null) {
            problems.add(InvalidRequestException.problem("consentedAt", "is required"));
        }
        InputText.requireNone(problems, "fee consent");
    }
}
