package io.posunbind.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.validation.ValidationCodes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A web front end passes HTTP bodies straight to {@link UnbindJson}: whatever a client sends, the answer
 * is a valid value or a coded refusal that names the field by its JSON path and, where there is a choice,
 * the values allowed there.
 */
class UnbindJsonStrictReadingTest {

    static final String REQUEST = """
            {"providerId":"sandbox","merchantNumber":"898310058120001","terminalSerial":"0820000001",
             "reason":"PAYMENT_SYSTEM_CHANGE","reasonNote":"更换支付系统","scope":["DEVICE","ACCOUNT","MERCHANT_INFO"],
             "replacement":{"serialNumber":"1170000001","model":"PAX A920Pro","settlementAccount":null},
             "requestedBy":{"id":"operator:li.na","role":"operator"},
             "documents":[{"type":"BUSINESS_LICENCE","unifiedSocialCreditCode":"91310000MA1FL4B24G","merchantName":"上海示例餐饮有限公司"},
                          {"type":"LEGAL_REPRESENTATIVE_IDENTITY","name":"张伟","identityNumber":"11010519491231002X"}],
             "transferTo":null,"makeBeforeBreak":false}""";

    @Test
    void aValidRequestIsReadFromTextAndFromBytes() {
        UnbindRequest fromText = UnbindJson.readRequest(REQUEST);
        assertEquals(fromText, UnbindJson.readRequest(REQUEST.getBytes(StandardCharsets.UTF_8)));
        assertEquals("0820000001", fromText.terminalSerial());
        // A UTF-8 byte-order mark carries no content.
        byte[] withMark = ("\uFEFF" + REQUEST).getBytes(StandardCharsets.UTF_8);
        assertEquals(fromText, UnbindJson.readRequest(withMark));
    }

    @Test
    void aDutchMerchantsBusinessRegistrationIsReadWithoutACreditCode() {
        String dutch = REQUEST.replace("{\"type\":\"BUSINESS_LICENCE\",\"unifiedSocialCreditCode\":\"91310000MA1FL4B24G\","
                + "\"merchantName\":\"上海示例餐饮有限公司\"}",
                "{\"type\":\"BUSINESS_REGISTRATION\",\"registrationNumber\":\"12345678\","
                        + "\"merchantName\":\"Bakkerij de Vries B.V.\"}");
        assertFalse(dutch.equals(REQUEST), "the licence was replaced");

        UnbindRequest request = UnbindJson.readRequest(dutch);

        assertEquals(new Document.BusinessRegistration("12345678", "Bakkerij de Vries B.V."),
                request.documents().get(0));
    }

    @Test
    void aKeySentTwiceIsRefusedRatherThanSilentlyTakingTheLastOne() {
        // A proxy that checks the first "terminalSerial" and an SDK that keeps the second would disagree.
        String twice = REQUEST.replace("\"terminalSerial\":\"0820000001\",",
                "\"terminalSerial\":\"0820000001\",\"terminalSerial\":\"0820000002\",");
        RuleViolation violation = refused(twice, CoreErrorCode.INVALID_REQUEST);
        assertTrue(violation.message().contains("a key appears twice"), violation.message());
        assertEquals("terminalSerial", violation.field());
        assertTrue(violation.message().contains("line 1, column"), violation.message());

        String nested = REQUEST.replace("\"role\":\"operator\"}", "\"role\":\"operator\",\"id\":\"operator:x\"}");
        assertEquals("requestedBy.id", refused(nested, CoreErrorCode.INVALID_REQUEST).field());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirPosition() {
        byte[] latin1 = REQUEST.replace("更换支付系统", "Änderung").getBytes(StandardCharsets.ISO_8859_1);
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readRequest(latin1));
        assertEquals(CoreErrorCode.INVALID_REQUEST, refused.errorCode());
        assertTrue(refused.violations().get(0).message().contains("not valid UTF-8 (at byte"), refused.getMessage());

        // An encoded surrogate (CESU-8) is not UTF-8 either.
        byte[] cesu = "{\"x\":\"\"}".getBytes(StandardCharsets.UTF_8);
        byte[] withSurrogate = new byte[cesu.length + 3];
        System.arraycopy(cesu, 0, withSurrogate, 0, 6);
        withSurrogate[6] = (byte) 0xED;
        withSurrogate[7] = (byte) 0xA0;
        withSurrogate[8] = (byte) 0x80;
        System.arraycopy(cesu, 6, withSurrogate, 9, cesu.length - 6);
        assertThrows(InvalidRequestException.class, () -> UnbindJson.readRequest(withSurrogate));
    }

    @Test
    void utf16IsNeverGuessedFromZeroBytes() {
        // Jackson alone would detect UTF-16 from the zero bytes and read this as a valid request.
        byte[] utf16 = REQUEST.getBytes(StandardCharsets.UTF_16BE);
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readRequest(utf16));
        assertEquals(CoreErrorCode.INVALID_REQUEST, refused.errorCode());
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedWhereverItIs() {
        // On PostgreSQL "T\ud800X" and "T\udbffX" were both stored as "T?X": two terminals looked like one.
        for (String escape : List.of("\\ud800", "\\udfff", "\\ud800\\u0041")) {
            String json = REQUEST.replace("\"terminalSerial\":\"0820000001\"",
                    "\"terminalSerial\":\"T" + escape + "X\"");
            RuleViolation violation = refused(json, CoreErrorCode.UNSAFE_CHARACTERS);
            assertEquals(ValidationCodes.UNSAFE_CHARACTERS, violation.code());
            assertEquals("terminalSerial", violation.field());
        }
        String inDocument = REQUEST.replace("\"name\":\"张伟\"", "\"name\":\"张\\udc00伟\"");
        assertEquals("documents[1].name", refused(inDocument, CoreErrorCode.UNSAFE_CHARACTERS).field());
        String inKey = REQUEST.replace("\"transferTo\":null", "\"transfer\\ud800To\":null");
        refused(inKey, CoreErrorCode.UNSAFE_CHARACTERS);
        // A proper pair is a character like any other (here in the free-text note).
        UnbindRequest emoji = UnbindJson.readRequest(REQUEST.replace("更换支付系统", "更换 \\ud83d\\ude00"));
        assertEquals("更换 \uD83D\uDE00", emoji.reasonNote());
    }

    @Test
    void aRawLoneSurrogateInJavaTextIsRefusedInsteadOfBecomingAQuestionMark() {
        String json = REQUEST.replace("\"terminalSerial\":\"0820000001\"", "\"terminalSerial\":\"T\uD800X\"");
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readRequest(json));
        assertEquals(CoreErrorCode.UNSAFE_CHARACTERS, refused.errorCode());
    }

    @Test
    void anUnknownReasonNamesTheFieldAndTheAllowedValues() {
        RuleViolation violation = refused(REQUEST.replace("PAYMENT_SYSTEM_CHANGE", "BORED"),
                CoreErrorCode.INVALID_REQUEST);
        assertEquals("reason", violation.field());
        assertTrue(violation.message().contains("PAYMENT_SYSTEM_CHANGE") && violation.message().contains("OTHER"),
                violation.message());
        assertFalse(violation.message().contains("line -1"), violation.message());

        RuleViolation scope = refused(REQUEST.replace("\"ACCOUNT\"", "\"EVERYTHING\""), CoreErrorCode.INVALID_REQUEST);
        assertEquals("scope[1]", scope.field());
        assertTrue(scope.message().contains("MERCHANT_INFO"), scope.message());
    }

    @Test
    void anUnknownDocumentTypeNamesTheKnownTypes() {
        RuleViolation violation = refused(REQUEST.replace("LEGAL_REPRESENTATIVE_IDENTITY", "PASSPORT"),
                CoreErrorCode.INVALID_REQUEST);
        assertEquals("documents[1].type", violation.field());
        assertTrue(violation.message().contains("BUSINESS_LICENCE"), violation.message());
    }

    @Test
    void anUnknownFieldNamesTheKnownFields() {
        RuleViolation violation = refused(REQUEST.replace("\"makeBeforeBreak\":false", "\"makeBeforeBrake\":false,"
                + "\"makeBeforeBreak\":false"), CoreErrorCode.INVALID_REQUEST);
        assertEquals("makeBeforeBrake", violation.field(), violation.toString());
        assertTrue(violation.message().contains("makeBeforeBreak"), violation.message());

        RuleViolation missing = refused(REQUEST.replace(",\"makeBeforeBreak\":false", ""),
                CoreErrorCode.INVALID_REQUEST);
        assertEquals("makeBeforeBreak", missing.field());
        assertTrue(missing.message().contains("missing"), missing.message());
    }

    @Test
    void aProblemInsideANestedValueIsReportedUnderItsPath() {
        RuleViolation serial = refused(REQUEST.replace("\"serialNumber\":\"1170000001\"", "\"serialNumber\":\"\""),
                CoreErrorCode.INVALID_REQUEST);
        assertEquals("replacement.serialNumber", serial.field());
        RuleViolation wrongType = refused(REQUEST.replace("\"makeBeforeBreak\":false", "\"makeBeforeBreak\":\"no\""),
                CoreErrorCode.INVALID_REQUEST);
        assertEquals("makeBeforeBreak", wrongType.field());
        String withoutName = REQUEST.replace("\"merchantName\":\"上海示例餐饮有限公司\"", "\"merchantName\":null");
        RuleViolation nullName = refused(withoutName, CoreErrorCode.INVALID_REQUEST);
        assertEquals("documents[0].merchantName", nullName.field());
    }

    @Test
    void aBidiOverrideInAnIdentifierIsRefusedWithItsCodePoint() {
        RuleViolation violation = refused(REQUEST.replace("898310058120001", "8983100581\\u202e20001"),
                CoreErrorCode.UNSAFE_CHARACTERS);
        assertEquals("merchantNumber", violation.field());
        assertTrue(violation.message().contains("U+202E"), violation.message());
        assertFalse(violation.message().contains("8983100581"), "never echoes the value: " + violation.message());
    }

    private static RuleViolation refused(String json, CoreErrorCode code) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readRequest(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(code, refused.errorCode(), refused.getMessage());
        assertFalse(refused.violations().isEmpty());
        return refused.violations().get(0);
    }
}
