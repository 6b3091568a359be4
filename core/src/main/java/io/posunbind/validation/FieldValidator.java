package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.List;

/**
 * Checks one submitted value, such as the unified social credit code on a business licence, and
 * reports every problem it has at once.
 *
 * <p>Implementations are immutable and thread-safe, and never throw for a bad value: a {@code null},
 * empty or blank value is one {@link ValidationCodes#REQUIRED} violation, and an absurdly long value
 * is rejected after a look at its length alone.
 *
 * <p>Example: collect the problems of several fields and report them together.
 * <pre>{@code
 * FieldValidator uscc = new UnifiedSocialCreditCodeValidator();
 * FieldValidator card = new BankCardNumberValidator();
 * List<RuleViolation> problems = new ArrayList<>();
 * problems.addAll(uscc.validate("businessLicence.unifiedSocialCreditCode", form.uscc()));
 * problems.addAll(card.validate("settlementAccount.cardNumber", form.cardNumber()));
 * if (!problems.isEmpty()) {
 *     // show them all to the merchant
 * }
 * }</pre>
 */
@FunctionalInterface
@API(status = API.Status.STABLE, since = "0.1")
public interface FieldValidator {

    /**
     * Validates a value.
     *
     * @param field the name of the field, copied into each violation, for example
     *              {@code "businessLicence.unifiedSocialCreditCode"}; not {@code null}
     * @param value the submitted value; may be {@code null}
     * @return every problem of the value, each with a code from {@link ValidationCodes}; an empty,
     *         unmodifiable list when the value is valid
     * @throws NullPointerException if {@code field} is {@code null}
     */
    List<RuleViolation> validate(String field, String value);
}
