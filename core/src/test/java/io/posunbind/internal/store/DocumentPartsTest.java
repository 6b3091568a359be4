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
        String request = split.parts().get(0).text();
        String terminal = split.parts().get(1).text();
        // Only a layout of offsets alone (written before lengths and digests) can meet a part that does not fit.
        String offsetsOnly = layout.replaceAll(":\\d+:[\\w+/]+", "");

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DocumentParts.assemble(split.skeleton(), layout, Map.of("request", request)));
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> DocumentParts.assemble(split.skeleton(), layout, Map.of("request", ",\"request\":{}",
                        "terminal", terminal)));
        IllegalArgumentException misfit = assertThrows(IllegalArgumentException.class,
                () -> DocumentParts.assemble(split.skeleton(), offsetsOnly, Map.of("request", ",\"request\":{}",
                        "terminal", terminal)));

        assertAll(() -> assertEquals("the stored part terminal is missing", missing.getMessage()),
                () -> assertEquals("the stored part request is not the one the case was written with: 13 characters"
                        + " where the layout expects " + request.length(), shorter.getMessage()),
                () -> assertTrue(misfit.getMessage().startsWith("the stored part terminal does not fit: offset "),
                        misfit.getMessage()));
    }

    /**
     * The layout keeps each part's length and the start of its digest: a part of another version is found even
     * when it has the same length and the document would read well with it.
     */
    @Test
    void aPartOfAnotherVersionIsFoundEvenOfTheSameLength() {
        String document = "{\"format\":1,\"request\":" + REQUEST + ",\"state\":\"WAITING\",\"terminal\":" + TERMINAL
                + "}";
        DocumentParts.Split split = DocumentParts.split(document);
        String sameLength = split.parts().get(1).text().replace("PAX A920", "PAX A930");

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> DocumentParts.assemble(
                split.skeleton(), split.layout().orElseThrow(), Map.of("request", split.parts().get(0).text(),
                        "terminal", sameLength)));

        String layout = split.layout().orElseThrow();
        String entry = "@\\d+:\\d+:[\\w+/]{8}";
        assertAll(() -> assertTrue(layout.matches("request" + entry + ",terminal" + entry), layout),
                () -> assertEquals("the stored part terminal is not the one the case was written with: "
                        + sameLength.length() + " characters where the layout expects " + sameLength.length()
                        + ", and another digest", other.getMessage()));
    }

    /** Layouts written before they kept lengths and digests ({@code name@offset}) are read as before. */
    @Test
    void aLayoutOfOffsetsOnlyIsStillRead() {
        String document = "{\"format\":1,\"request\":" + REQUEST + ",\"state\":\"WAITING\",\"terminal\":" + TERMINAL
                + "}";
        DocumentParts.Split split = DocumentParts.split(document);
        String offsetsOnly = split.layout().orElseThrow().replaceAll(":\\d+:[\\w+/]+", "");
        Map<String, String> texts = new HashMap<>();
        split.parts().forEach(part -> texts.put(part.name(), part.text()));

        assertAll(() -> assertTrue(offsetsOnly.matches("request@\\d+,terminal@\\d+"), offsetsOnly),
                () -> assertEquals(document, DocumentParts.assemble(split.skeleton(), offsetsOnly, texts)));
    }

    @Test
    void aMalformedLayoutIsRefusedAsSuch() {
        for (String layout : List.of("request", "request@x", "request@-1", "request@0:5", "request@0:-5:abcdefgh",
                "request@0:5:", "@")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> DocumentParts.assemble("{}", layout, Map.of("request", ",\"request\":1")), layout);
            assertTrue(refused.getMessage().contains("malformed") || refused.getMessage().contains("missing"),
                    layout + ": " + refused.getMessage());
        }
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
