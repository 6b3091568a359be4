package io.posunbind.internal.store;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A case document's write-once values are cut out and put back character for character. */
class DocumentPartsTest {

    private static final String REQUEST = "{\"providerId\":\"sandbox\",\"merchantNumber\":\"M000000001\","
            + "\"terminalSerial\":\"SN00000001\",\"reason\":\"DEVICE_FAULTY\"}";
    private static final String TERMINAL = "{\"serialNumber\":\"SN00000001\",\"model\":\"PAX A920\","
            + "\"status\":\"ACTIVE\",\"boundMerchantNumbers\":[\"M000000001\"],\"peripherals\":[]}";

    private static String roundTrip(String document) {
        DocumentParts.Split split = DocumentParts.split(document);
        if (split.layout().isEmpty()) {
            return split.skeleton();
        }
        Map<String, String> texts = new HashMap<>();
        split.parts().forEach(part -> texts.put(part.name(), part.text()));
        return DocumentParts.assemble(split.skeleton(), split.layout().get(), texts);
    }

    @Test
    void theRequestAndTheInventoryGoApartAndComeBackExactly() {
        String document = "{\"format\":1,\"version\":7,\"request\":" + REQUEST + ",\"state\":\"WAITING\","
                + "\"terminal\":" + TERMINAL + ",\"history\":[]}";

        DocumentParts.Split split = DocumentParts.split(document);

        assertAll(() -> assertEquals(List.of("request", "terminal"), DocumentParts.names(split.layout().orElseThrow())),
                () -> assertEquals("{\"format\":1,\"version\":7,\"state\":\"WAITING\",\"history\":[]}",
                        split.skeleton()),
                () -> assertEquals(document, roundTrip(document)));
    }

    @Test
    void aMissingPartAndAPartThatNoLongerFitsAreToldApart() {
        String document = "{\"format\":1,\"request\":" + REQUEST + ",\"state\":\"WAITING\",\"terminal\":" + TERMINAL
                + "}";
        DocumentParts.Split split = DocumentParts.split(document);
        String layout = split.layout().orElseThrow();

        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class, () -> DocumentParts.assemble(split.skeleton(), layout,
                        Map.of("request", REQUEST)));
        IllegalArgumentException misfit = assertThrows(
                IllegalArgumentException.class, () -> DocumentParts.assemble(split.skeleton(), layout,
                        Map.of("request", "{}", "terminal", TERMINAL))); // a shorter request than the layout's

        assertEquals("the stored part terminal is missing", missing.getMessage());
        assertTrue(misfit.getMessage().startsWith("the stored part terminal does not fit: offset "), misfit.getMessage());
    }

    /** Only top-level members count: a name inside a string or a nested object is no part. */
    @Test
    void namesInsideStringsOrNestedObjectsAreNotParts() {
        String document = "{\"format\":1,\"history\":[{\"detail\":\"\\\"request\\\":" + REQUEST.replace("\"", "\\\"")
                + "\"}],\"steps\":{\"request\":" + REQUEST + "}}";

        assertAll(() -> assertTrue(DocumentParts.split(document).layout().isEmpty()),
                () -> assertEquals(document, roundTrip(document)));
    }

    @Test
    void whitespaceEscapesAndNonAsciiSurviveTheRoundTrip() {
        String document = " {\n  \"format\" : 1 ,\n  \"request\" :\t{\"note\":\"商户 \\\"}]\\\\\",\"x\":[1,{\"y\":null}]"
                + ",\"pad\":\"" + "x".repeat(100) + "\"}\r\n, \"state\":true }  ";

        DocumentParts.Split split = DocumentParts.split(document);

        assertAll(() -> assertFalse(split.layout().isEmpty()), () -> assertEquals(document, roundTrip(document)));
    }

    @Test
    void aTextThatIsNoObjectOrNamesAMemberTwiceOrHasOnlyShortValuesIsKeptWhole() {
        for (String document : List.of("not JSON, \"request\":" + REQUEST, "[" + REQUEST + "]",
                "{\"format\":1,\"request\":" + REQUEST + ",\"request\":" + REQUEST + "}",
                "{\"format\":1,\"request\":{\"a\":1}}", "{\"request\":" + REQUEST + "}", "{\"format\":1,\"request\":"
                        + REQUEST, "")) {
            assertAll(() -> assertTrue(DocumentParts.split(document).layout().isEmpty(), document),
                    () -> assertEquals(document, roundTrip(document)));
        }
    }
}
