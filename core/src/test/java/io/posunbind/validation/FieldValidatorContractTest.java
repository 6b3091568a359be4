package io.posunbind.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.rules.RuleViolation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every validator of the package promises: the contract of {@link FieldValidator}. */
class FieldValidatorContractTest {

    private static final String FIELD = "some.field";

    /** Ten million characters: far beyond any field, small enough for a test's memory. */
    private static final int HUGE = 10_000_000;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-15T00:00:00Z"), ZoneOffset.UTC);

    static Stream<Arguments> validators() {
        return Stream.of(
                Arguments.of(new UnifiedSocialCreditCodeValidator()),
                Arguments.of(new ResidentIdentityNumberValidator(CLOCK)),
                Arguments.of(new BankCardNumberValidator()),
                Arguments.of(new ChineseMobileNumberValidator()),
                Arguments.of(new TerminalSerialNumberValidator(TerminalSerialNumberValidator.defaultPattern())),
                Arguments.of(new IdentifierValidator(64)));
    }

    @ParameterizedTest
    @MethodSource("validators")
    void missingValuesAreOneRequiredViolation(FieldValidator validator) {
        for (String missing : new String[] {null, "", " ", "   ", "\t", "\n \r\n", "\u3000"}) {
            List<RuleViolation> violations = validator.validate(FIELD, missing);
            assertEquals(1, violations.size(), () -> "for " + (missing == null ? "null" : "'" + missing + "'"));
            assertEquals(ValidationCodes.REQUIRED, violations.get(0).code());
            assertEquals(FIELD, violations.get(0).field());
            assertFalse(violations.get(0).message().isBlank());
        }
    }

    @ParameterizedTest
    @MethodSource("validators")
    void aNullFieldNameIsAProgrammingError(FieldValidator validator) {
        NullPointerException thrown = assertThrows(NullPointerException.class, () -> validator.validate(null, "x"));
        assertTrue(thrown.getMessage().contains("field"));
    }

    @ParameterizedTest
    @MethodSource("validators")
    void hugeValuesAreRejectedQuicklyWithOneViolation(FieldValidator validator) {
        for (String huge : new String[] {"1".repeat(HUGE), "A".repeat(HUGE), " ".repeat(HUGE), "6".repeat(HUGE - 1) + "x"}) {
            List<RuleViolation> violations = assertTimeoutPreemptively(Duration.ofMillis(500),
                    () -> validator.validate(FIELD, huge));
            assertEquals(1, violations.size(), violations::toString);
            assertNotEquals(ValidationCodes.REQUIRED, violations.get(0).code());
            assertTrue(violations.get(0).message().length() < 400, "the message must not echo the value");
        }
    }

    @ParameterizedTest
    @MethodSource("validators")
    void resultsAreUnmodifiable(FieldValidator validator) {
        for (String value : new String[] {null, "clearly wrong", "13800138000", "6250946000000016"}) {
            List<RuleViolation> violations = validator.validate(FIELD, value);
            assertThrows(UnsupportedOperationException.class,
                    () -> violations.add(new RuleViolation("X", FIELD, "x")));
        }
    }

    /** Identity, card and phone numbers with problems of every kind, each validated by its validator. */
    static Stream<Arguments> sensitiveNumbers() {
        FieldValidator id = new ResidentIdentityNumberValidator(CLOCK);
        FieldValidator card = new BankCardNumberValidator();
        FieldValidator mobile = new ChineseMobileNumberValidator();
        return Stream.of(
                Arguments.of(id, "110105194912310021"),
                Arguments.of(id, "110105199902300024"),
                Arguments.of(id, "440524188001010014"),
                Arguments.of(id, "110105202606160020"),
                Arguments.of(id, "11010519491231002Y"),
                Arguments.of(id, "110105194912310"),
                Arguments.of(id, "1101051949123100211"),
                Arguments.of(id, "11010519491231A02X"),
                Arguments.of(card, "6250946000000017"),
                Arguments.of(card, "625094600000001"),
                Arguments.of(card, "6250 9460 0000 001A"),
                Arguments.of(card, "62509460000000160000"),
                Arguments.of(card, "41111111111"),
                Arguments.of(mobile, "12345678901"),
                Arguments.of(mobile, "1380013800"),
                Arguments.of(mobile, "+1 415 555 2671"),
                Arguments.of(mobile, "138a0013800"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("sensitiveNumbers")
    void messagesNeverContainTheSubmittedNumber(FieldValidator validator, String number) {
        List<RuleViolation> violations = validator.validate("f", number);
        assertFalse(violations.isEmpty(), "the sample must be invalid");
        String digits = number.replaceAll("[^0-9]", "");
        for (RuleViolation violation : violations) {
            String message = violation.message();
            assertFalse(message.contains(number), message);
            // No run of five or more digits at all, so no long fragment of the number either.
            assertFalse(Pattern.compile("\\d{5,}").matcher(message).find(), message);
            for (int start = 0; start + 4 <= digits.length(); start++) {
                String fragment = digits.substring(start, start + 4);
                if (!fragment.equals("1900")) { // the birth-date floor, named in messages, is no leak
                    assertFalse(message.replaceAll("[^0-9]", " ").contains(fragment), () -> message + " / " + fragment);
                }
            }
        }
    }

    @Test
    void codesAreDistinctStableStrings() throws IllegalAccessException {
        Set<String> seen = new HashSet<>();
        for (Field constant : ValidationCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(constant.getModifiers()) && constant.getType() == String.class) {
                String code = (String) constant.get(null);
                assertTrue(code.matches("VAL-[A-Z]+(-[A-Z]+)*"), code);
                assertTrue(seen.add(code), "duplicate " + code);
            }
        }
        assertTrue(seen.containsAll(Set.of("VAL-REQUIRED", "VAL-USCC-FORMAT", "VAL-USCC-CHECK", "VAL-ID-FORMAT",
                "VAL-ID-BIRTH-DATE", "VAL-ID-CHECK", "VAL-CARD-FORMAT", "VAL-CARD-LENGTH", "VAL-CARD-LUHN",
                "VAL-MOBILE-FORMAT", "VAL-SN-FORMAT")), seen::toString);
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        List<FieldValidator> shared = validators().map(arguments -> (FieldValidator) arguments.get()[0]).toList();
        String[] values = {"91350100M000100Y43", "11010519491231002X", "6250946000000016", "13800138000",
                "PAX-A920-0001", "91350100M000100Y44", "110105199902300024", "6250946000000017", null, ""};
        List<List<List<RuleViolation>>> expected = new ArrayList<>();
        for (FieldValidator validator : shared) {
            List<List<RuleViolation>> row = new ArrayList<>();
            for (String value : values) {
                row.add(validator.validate(FIELD, value));
            }
            expected.add(row);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int task = 0; task < 64; task++) {
                tasks.add(() -> {
                    for (int round = 0; round < 200; round++) {
                        for (int v = 0; v < shared.size(); v++) {
                            for (int i = 0; i < values.length; i++) {
                                if (!shared.get(v).validate(FIELD, values[i]).equals(expected.get(v).get(i))) {
                                    return false;
                                }
                            }
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
