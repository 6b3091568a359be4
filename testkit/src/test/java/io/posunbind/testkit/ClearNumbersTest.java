package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClearNumbersTest {

    private static final String IDENTITY = "574655874283602570";
    private static final String CARD = "6228480012345678903";

    @Test
    void theNumbersUsedHereAreRealLookingOnes() {
        assertEquals(true, ClearNumbers.identityChecksumValid(IDENTITY));
        assertEquals(true, ClearNumbers.luhnValid(CARD));
    }

    @Test
    void aNumberStandingApartIsFoundWhateverSurroundsIt() {
        for (String line : List.of("holder " + IDENTITY, "身份证" + IDENTITY + "已核验", "id=" + IDENTITY + ",",
                "(" + IDENTITY + ")", "\"" + IDENTITY + "\"", IDENTITY)) {
            assertEquals(List.of("identity number " + IDENTITY + ": " + line), ClearNumbers.in(List.of(line),
                    List.of()), line);
        }
        for (String line : List.of("card " + CARD, "卡号" + CARD, "/" + CARD + "/")) {
            assertEquals(List.of("card-like number " + CARD + ": " + line), ClearNumbers.in(List.of(line),
                    List.of()), line);
        }
    }

    @Test
    void digitsInsideAnIdentifierAreNotANumberInClear() {
        // Seen in CI: embedded PostgreSQL logs its temporary directory, named "epg" and a random number.
        List<String> lines = List.of(
                "INFO EmbeddedPostgres - fixing permissions on existing directory /tmp/epg" + IDENTITY + " ... ok",
                "backup c" + CARD + "d stored", "trace " + IDENTITY + "abc", "file x" + CARD + ".log");

        assertEquals(List.of(), ClearNumbers.in(lines, List.of()));
    }

    @Test
    void aKnownSecretIsFoundEvenInsideAWord() {
        assertEquals(List.of("known secret: token" + IDENTITY + "x"),
                ClearNumbers.in(List.of("token" + IDENTITY + "x"), List.of(IDENTITY)));
    }
}
