package io.posunbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.i18n.Messages;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.validation.ValidationCodes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A tester sent serials, merchant numbers, case ids and actor ids that look like other ones: with an
 * unpaired surrogate (PostgreSQL stored "T\uD800X" and "T\uDBFFX" both as "T?X", so the second terminal
 * was refused as already in a case and the lookup returned the wrong case), a right-to-left override, a
 * zero-width space, a combining mark. Each is refused where it enters, with a code.
 */
class LookAlikeIdentifiersTest {

    static final List<String> HOSTILE = List.of(
            "T\uD800X",          // unpaired high surrogate
            "T\uDBFFX",          // another one: would be stored as the same "T?X"
            "T\uDC00X",          // unpaired low surrogate
            "0820\u202E100",     // right-to-left override: shows as "0820001"
            "0820\u200B0001",    // zero-width space
            "0820\u2060001",     // word joiner
            "\uFEFF08200001",    // byte-order mark
            "0820\u00AD0001",    // soft hyphen
            "0820\u00000001",    // NUL, which PostgreSQL cannot store
            "0820\u00850001",    // a C1 control
            "0820\uE0000001",    // private use
            "0820\u30000001",    // ideographic space
            "Cafe\u0301",        // e and a combining acute: looks like "Café"
            "0820\u2066001\u2069"); // a bidi isolate

    @Test
    void twoSerialsWithDifferentLoneSurrogatesAreBothRefusedBeforeTheyReachAStore() {
        for (String serial : List.of("T\uD800X", "T\uDBFFX")) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> request(builder -> builder.terminalSerial(serial)));
            assertEquals(CoreErrorCode.UNSAFE_CHARACTERS, refused.errorCode());
            RuleViolation violation = refused.violations().get(0);
            assertEquals("terminalSerial", violation.field());
            assertEquals(ValidationCodes.UNSAFE_CHARACTERS, violation.code());
        }
    }

    @Test
    void everyHostileIdentifierIsRefusedWhereverItEnters() {
        for (String hostile : HOSTILE) {
            refusedWithCode(hostile, () -> request(builder -> builder.terminalSerial(hostile)), "terminalSerial");
            refusedWithCode(hostile, () -> request(builder -> builder.merchantNumber(hostile)), "merchantNumber");
            refusedWithCode(hostile, () -> request(builder -> builder.provider(hostile)), "providerId");
            refusedWithCode(hostile, () -> new Actor("operator:" + hostile, "operator"), "id");
            refusedWithCode(hostile, () -> TransferTarget.to(hostile), "merchantNumber");
            refusedWithCode(hostile, () -> new TransferTarget("898310058120002", Optional.of(hostile)), "storeId");
            refusedWithCode(hostile, () -> ReplacementTerminal.of(hostile, "A920"), "serialNumber");
            refusedWithCode(hostile, () -> request(builder -> builder.documents(
                    new Document.TerminalInformation(hostile, "A920"))), "documents[0].serialNumber");
        }
    }

    @Test
    void caseIdsAcceptNothingButTheirAsciiAlphabet() {
        for (String hostile : HOSTILE) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> CaseId.of(hostile));
            assertEquals(CoreErrorCode.INVALID_REQUEST, refused.errorCode());
            assertEquals("caseId", refused.violations().get(0).field());
        }
    }

    @Test
    void theRefusalNamesTheCharacterButNeverEchoesTheValue() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> request(builder -> builder.merchantNumber("898310058\u202E120001")));
        String message = refused.violations().get(0).message();
        assertTrue(message.contains("U+202E (RIGHT-TO-LEFT OVERRIDE) at position 10"), message);
        assertFalse(refused.getMessage().contains("898310058"), refused.getMessage());
    }

    @Test
    void theMerchantReadsTheRefusalInTheirLanguage() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> request(builder -> builder.terminalSerial("0820\u200B0001")));
        String chinese = Messages.forLocale(Locale.SIMPLIFIED_CHINESE).describe(refused.violations().get(0));
        assertTrue(chinese.contains("不可见字符") && !chinese.contains("terminalSerial"), chinese);
        assertTrue(Messages.forLocale(Locale.SIMPLIFIED_CHINESE).codeText(refused.errorCode().code()).isPresent());
        String english = Messages.forLocale(Locale.ENGLISH).describe(refused.violations().get(0));
        assertTrue(english.startsWith("Terminal serial number (SN): Holds an invisible"), english);
    }

    @Test
    void ordinaryIdentifiersInAnyScriptStillPass() {
        assertEquals("operator:张伟", Actor.operator("operator:张伟").id());
        assertEquals("Café", new Actor("Caf\u00E9", "operator").id());
        assertEquals("SN-00012345", request(builder -> builder.terminalSerial("SN-00012345")).terminalSerial());
        TransferTarget toStore = new TransferTarget("898310058120002", Optional.of("门店-01"));
        assertEquals("门店-01", toStore.storeId().orElseThrow());
    }

    private static void refusedWithCode(String hostile, Executable action, String field) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, action,
                () -> "accepted " + escaped(hostile) + " as " + field);
        assertEquals(CoreErrorCode.UNSAFE_CHARACTERS, refused.errorCode(), () -> escaped(hostile) + " as " + field);
        assertTrue(refused.violations().stream().anyMatch(violation -> violation.field().equals(field)
                && violation.code().equals(ValidationCodes.UNSAFE_CHARACTERS)), refused.violations()::toString);
    }

    static UnbindRequest request(Function<UnbindRequest.Builder, UnbindRequest.Builder> change) {
        return change.apply(UnbindRequest.builder().provider("sandbox").merchantNumber("898310058120001")
                .terminalSerial("0820000001").reason(UnbindReason.DEVICE_FAULTY).scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na"))).build();
    }

    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        value.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c)
                : String.valueOf((char) c)));
        return out.toString();
    }
}
