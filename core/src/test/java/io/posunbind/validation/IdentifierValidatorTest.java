package io.posunbind.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.rules.RuleViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identifiers that would look like other identifiers are refused; ordinary ones in any script pass. */
class IdentifierValidatorTest {

    private final IdentifierValidator validator = new IdentifierValidator(64);

    @Test
    void lookAlikeCharactersAreUnsafe() {
        for (String value : List.of("T\uD800X", "T\uDFFFX", "a\u202Eb", "a\u200Bb", "a\u200Db", "a\u2060b",
                "a\uFEFFb", "a\u00ADb", "a\u0000b", "a\u001Fb", "a\u007Fb", "a\u0085b", "a\uE000b", "a\u3000b",
                "a b", "a\tb", "e\u0301", "a\uFE0Fb", "a\u3164b", "a\uFFFDb", "a\uFFFFb", "a\u2028b")) {
            List<RuleViolation> violations = validator.validate("f", value);
            assertEquals(1, violations.size(), value);
            assertEquals(ValidationCodes.UNSAFE_CHARACTERS, violations.get(0).code(), value);
        }
    }

    @Test
    void ordinaryIdentifiersPass() {
        for (String value : List.of("898310058120001", "SN-00012345", "operator:zhang.wei", "operator:张伟", "Café",
                "x!", "店铺#12", "\uD83D\uDE00")) {
            assertTrue(validator.validate("f", value).isEmpty(), value);
        }
    }

    @Test
    void lengthIsCheckedBeforeCharacters() {
        List<RuleViolation> violations = validator.validate("f", "\u202E".repeat(65));
        assertEquals(ValidationCodes.TOO_LONG, violations.get(0).code());
    }

    @Test
    void freeTextAllowsLineBreaksOnlyWhereMultiLine() {
        assertTrue(new FreeTextValidator(10, true).validate("note", "a\nb").isEmpty());
        assertEquals(ValidationCodes.UNSAFE_CHARACTERS,
                new FreeTextValidator(10, false).validate("name", "a\nb").get(0).code());
        assertTrue(new FreeTextValidator(10, false).validate("name", "").isEmpty(), "empty is the caller's rule");
        assertTrue(new FreeTextValidator(20, false).validate("name", "👨\u200D👩\u200D👧").isEmpty(), "emoji");
        assertEquals(ValidationCodes.UNSAFE_CHARACTERS,
                new FreeTextValidator(10, true).validate("note", "a\u202Eb").get(0).code());
    }
}
