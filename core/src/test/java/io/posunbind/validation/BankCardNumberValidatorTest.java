package io.posunbind.validation;

import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codes;
import static io.posunbind.validation.UnifiedSocialCreditCodeValidatorTest.codesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bank card numbers.
 *
 * <p>Published test card numbers used here, and where they were published (each also passes Luhn by
 * an independent calculation):
 * <ul>
 *   <li>UnionPay 6250947000000014, 6250946000000016, 6250940500000006, 6250947999990000014 (19 digits)
 *       and 8171999927660000: Worldline Connect, "Testing - UnionPay International - SecurePay"
 *       (https://docs.connect.worldline-solutions.com/testing/testcases/detail/unionpay-international-securepay).
 *       6250947000000014 and 6250940500000006 are also Cybersource's "China UnionPay" test cards
 *       (https://developer.cybersource.com/docs/cybs/en-us/payments/developer/cup/so/payments/payments-ref-test-cards-cup.html).</li>
 *   <li>UnionPay 6212345678901265 (debit), 6212345678901232 (credit), 62123456789000003 (17 digits),
 *       621234567890000002 (18), 6212345678900000003 (19), and the 14- and 15-digit numbers
 *       62123456789002 and 621234567890003, which pass Luhn but are too short for UnionPay: Braintree,
 *       "UnionPay: Testing" (https://developer.paypal.com/braintree/docs/guides/unionpay/testing).</li>
 *   <li>UnionPay 6200000000000005, 6200000000000047 (debit), 6205500000000000004 (19 digits); Visa
 *       4242424242424242; Mastercard 5555555555554444; American Express 378282246310005 (15 digits);
 *       Diners Club 36227206271667 (14 digits): Stripe, "Testing" (https://docs.stripe.com/testing), as
 *       copied in https://gist.github.com/DominicWatts/e5a83ae2f2c53c244a619a7af4448d23; 6200000000000005
 *       is also Stripe Terminal's simulated UnionPay card (SimulatedCardType.UNION_PAY).</li>
 *   <li>"3782 8224 6310 005", "5555 5555 5555 4444", "2222 4200 0000 1113" and "3566 1111 1111 1113",
 *       written with spaces as published: Cybersource, "Testing Credit Card Services"
 *       (https://developer.cybersource.com/docs/cybs/en-us/test-data/developer/all/so/test-data/testing_credit_card_services.html).</li>
 * </ul>
 * The failing numbers are these with one digit changed or two swapped.
 */
class BankCardNumberValidatorTest {

    private static final String FIELD = "settlementAccount.cardNumber";

    private final BankCardNumberValidator validator = new BankCardNumberValidator();

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            6250947000000014     | UnionPay, Worldline and Cybersource
            6250946000000016     | UnionPay debit, Worldline
            6250940500000006     | UnionPay, Worldline and Cybersource
            6250947999990000014  | UnionPay 19 digits, Worldline
            8171999927660000     | UnionPay 81 range, Worldline
            6212345678901265     | UnionPay debit, Braintree
            6212345678901232     | UnionPay credit, Braintree
            62123456789000003    | UnionPay 17 digits, Braintree
            621234567890000002   | UnionPay 18 digits, Braintree
            6212345678900000003  | UnionPay 19 digits, Braintree
            6200000000000005     | UnionPay, Stripe
            6200000000000047     | UnionPay debit, Stripe
            6205500000000000004  | UnionPay 19 digits, Stripe
            4242424242424242     | Visa, Stripe
            5555555555554444     | Mastercard, Stripe
            378282246310005      | American Express 15 digits, Stripe
            36227206271667       | Diners Club 14 digits, Stripe
            3782 8224 6310 005   | American Express, Cybersource
            5555 5555 5555 4444  | Mastercard, Cybersource
            2222 4200 0000 1113  | Mastercard 2-series, Cybersource
            3566 1111 1111 1113  | JCB, Cybersource
            6250-9460-0000-0016  | UnionPay with hyphens
            ' 6250946000000016 ' | UnionPay with surrounding spaces
            """)
    void acceptsPublishedTestCards(String number, String description) {
        assertEquals(List.of(), validator.validate(FIELD, number), description);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            6250946000000017      | VAL-CARD-LUHN
            6250946000000061      | VAL-CARD-LUHN
            4242424242424241      | VAL-CARD-LUHN
            621234567890003       | VAL-CARD-LENGTH
            62123456789002        | VAL-CARD-LENGTH
            625094600000001       | VAL-CARD-LENGTH VAL-CARD-LUHN
            41111111111           | VAL-CARD-LENGTH
            62509460000000160000  | VAL-CARD-LENGTH
            4242                  | VAL-CARD-LENGTH
            '- -'                 | VAL-CARD-LENGTH
            4242 4242 4242 424A   | VAL-CARD-FORMAT
            4242.4242.4242.4242   | VAL-CARD-FORMAT
            4242/4242/4242/4242   | VAL-CARD-FORMAT
            ６２５０９４６０００００００１６ | VAL-CARD-FORMAT
            """)
    void rejectsBrokenNumbers(String number, String expectedCodes) {
        assertEquals(codes(expectedCodes), codesOf(validator.validate(FIELD, number)));
    }

    @Test
    void valuesLongerThanAnyWrittenCardNumberAreNotRead() {
        String padded = "4242424242424242" + " ".repeat(BankCardNumberValidator.MAX_INPUT_LENGTH - 16);
        assertEquals(List.of(), validator.validate(FIELD, padded));
        assertEquals(codes("VAL-CARD-LENGTH"), codesOf(validator.validate(FIELD, padded + " ")));
    }
}
