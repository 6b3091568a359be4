package io.posunbind.validation;

import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.CardNumber;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a bank card number (PAN), such as the settlement card (结算卡) that receives a merchant's
 * funds.
 *
 * <p>Spaces and hyphens are ignored, as {@link CardNumber} ignores them, so
 * {@code "6250 9460 0000 0016"} is accepted. It checks, and reports every failure of:
 * <ul>
 *   <li>the form: only digits remain ({@link ValidationCodes#CARD_FORMAT}); a form problem stops the
 *       other checks;</li>
 *   <li>the length: 12 to 19 digits, and 16 to 19 for a UnionPay card, whose number starts with
 *       {@code 62} ({@link ValidationCodes#CARD_LENGTH});</li>
 *   <li>the Luhn check digit ({@link ValidationCodes#CARD_LUHN}), whenever there are 12 to 19 digits.</li>
 * </ul>
 * A value of more than {@value #MAX_INPUT_LENGTH} characters is reported as too long without being
 * read.
 *
 * <p>Messages never repeat any digit of the number, not even the first six and last four that
 * PCI DSS would allow.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Example:
 * <pre>{@code
 * new BankCardNumberValidator().validate("settlementAccount.cardNumber", "6250 9460 0000 0016"); // empty
 * new BankCardNumberValidator().validate("settlementAccount.cardNumber", "621234567890003");
 * // VAL-CARD-LENGTH: a UnionPay card has 16 to 19 digits
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class BankCardNumberValidator implements FieldValidator {

    /** The fewest digits of a card number. */
    public static final int MIN_DIGITS = 12;
    /** The most digits of a card number. */
    public static final int MAX_DIGITS = 19;
    /** The fewest digits of a UnionPay card number. */
    public static final int MIN_UNIONPAY_DIGITS = 16;
    /** The longest value read at all: 19 digits with generous room for separators. */
    public static final int MAX_INPUT_LENGTH = 64;

    /** Creates the validator; it has no settings. */
    public BankCardNumberValidator() {
    }

    @Override
    public List<RuleViolation> validate(String field, String value) {
        var missing = RequiredValue.missing(field, value,
                "The card number is missing. Enter the number printed on the card.");
        if (missing.isPresent()) {
            return List.of(missing.get());
        }
        if (value.length() > MAX_INPUT_LENGTH) {
            return List.of(new RuleViolation(ValidationCodes.CARD_LENGTH, field,
                    "The card number is far too long: a card number has 12 to 19 digits. Enter only the number"
                            + " printed on the card."));
        }
        StringBuilder digits = new StringBuilder(MAX_DIGITS);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-') {
                return List.of(new RuleViolation(ValidationCodes.CARD_FORMAT, field,
                        "Character " + (i + 1) + " of the card number is neither a digit, a space nor a hyphen."
                                + " Enter only the digits printed on the card."));
            }
        }

        List<RuleViolation> violations = new ArrayList<>(2);
        int length = digits.length();
        boolean unionPay = length >= 2 && digits.charAt(0) == '6' && digits.charAt(1) == '2';
        if (length < MIN_DIGITS || length > MAX_DIGITS) {
            violations.add(new RuleViolation(ValidationCodes.CARD_LENGTH, field,
                    "The card number has " + length + " digits, but a card number has 12 to 19 (a UnionPay card 16"
                            + " to 19). Check that no digit is missing or repeated."));
        } else if (unionPay && length < MIN_UNIONPAY_DIGITS) {
            violations.add(new RuleViolation(ValidationCodes.CARD_LENGTH, field,
                    "The card number starts like a UnionPay card but has " + length + " digits; UnionPay cards have"
                            + " 16 to 19. Check that no digit is missing."));
        }
        if (length >= MIN_DIGITS && length <= MAX_DIGITS && !passesLuhn(digits)) {
            violations.add(new RuleViolation(ValidationCodes.CARD_LUHN, field,
                    "The card number fails its check digit (Luhn), so a digit was mistyped or two digits were"
                            + " swapped. Copy the number again from the card."));
        }
        return List.copyOf(violations);
    }

    /** The Luhn (mod 10) check over all digits, the last being the check digit. */
    private static boolean passesLuhn(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
