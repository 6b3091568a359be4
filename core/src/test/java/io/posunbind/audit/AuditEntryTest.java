package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.spi.model.CardNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditEntryTest {

    private static AuditEntry withDetail(String detail) {
        return AuditEntry.builder().actor(Actor.system()).eventType("STEP_DONE").outcome(AuditOutcome.SUCCESS)
                .origin("engine").detail(detail).build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "card 6222021234567890123 used | card ***************0123 used",
            "card 6222 0212 3456 7890 used | card **** **** **** 7890 used",
            "card 6222-0212-3456-7890 used | card ****-****-****-7890 used",
            "account 123456789012 closed | account ********9012 closed",
            "id 11010519491231002X checked | id *****************X checked",
            "id 11010519491231002x checked | id *****************X checked",
            "id 110105194912310021 checked | id **************0021 checked",
            "mobile 13812345678 called | mobile 138****5678 called",
            "a run of twenty digits 12345678901234567890 | a run of twenty digits ****************7890",
            "short numbers stay: 12345678901, 0820000001, 2025-01-15 | short numbers stay: 12345678901, 0820000001, 2025-01-15",
            "numbers joined by one space count as one: 123456 789012 | numbers joined by one space count as one: ****** **9012",
            "masked card 622202******7890 stays | masked card 622202******7890 stays",
            "card6222021234567890in text | card************7890in text"})
    void theDetailIsScrubbedOfNumbersThatSlippedThrough(String detail, String scrubbed) {
        assertEquals(scrubbed, withDetail(detail).detail());
    }

    @Test
    void aMaskedCardNumberPassesUnchanged() {
        CardNumber card = CardNumber.of("6222021234567890");
        assertEquals("card " + card.masked(), withDetail("card " + card).detail());
    }

    @Test
    void controlCharactersBecomeSpacesAndLoneSurrogatesReplacementCharacters() {
        assertEquals("a b\nc\td \uFFFD e \uD83D\uDE00", withDetail("a\u0000b\nc\td \uD800 e \uD83D\uDE00").detail());
    }

    @Test
    void aLongDetailIsCut() {
        assertEquals(AuditEntry.MAX_DETAIL_LENGTH, withDetail("x".repeat(5000)).detail().length());
        String emojis = "\uD83D\uDE00".repeat(600);
        String cut = withDetail(emojis).detail();
        assertTrue(cut.length() <= AuditEntry.MAX_DETAIL_LENGTH);
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)), "a surrogate pair was cut in two");
    }

    @Test
    void requiredFieldsAreChecked() {
        AuditEntry.Builder noActor = AuditEntry.builder().eventType("X").outcome(AuditOutcome.SUCCESS).origin("api");
        assertThrows(NullPointerException.class, noActor::build);
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry("", "system", "X", AuditOutcome.SUCCESS,
                "engine", AffectedResource.none(), ""));
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry("a", "system", "case opened",
                AuditOutcome.SUCCESS, "engine", AffectedResource.none(), ""));
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry("a\nb", "system", "X",
                AuditOutcome.SUCCESS, "engine", AffectedResource.none(), ""));
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry("a", "system", "X",
                AuditOutcome.SUCCESS, "engine", AffectedResource.ofCase("c".repeat(256)), ""));
        assertThrows(NullPointerException.class, () -> new AuditEntry("a", "system", "X",
                AuditOutcome.SUCCESS, "engine", AffectedResource.none(), null));
    }

    @Test
    void theActorOfTheEngineCanBeGivenDirectly() {
        AuditEntry entry = AuditEntry.of(Actor.operator("operator:li.na"), AuditEventTypes.COMMAND,
                AuditOutcome.FAILURE, "api", AffectedResource.of("case-1", "0820000001", "898310058120001"), "denied");
        assertEquals("operator:li.na", entry.actorId());
        assertEquals("operator", entry.actorRole());
        assertEquals("898310058120001", entry.resource().merchantNumber(), "resource fields are not scrubbed");
    }
}
