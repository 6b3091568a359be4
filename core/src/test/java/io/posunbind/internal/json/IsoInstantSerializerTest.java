package io.posunbind.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantSerializerTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T19:50:10.702716268Z", "2026-11-25T19:50:10Z", "2026-11-25T19:50:10.700Z",
            "2026-11-25T19:50:10.000001Z", "2026-11-25T19:50:10.000000001Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "2024-02-29T12:00:00.120Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"})
    void writesWhatIsoInstantWrites(String text) {
        Instant instant = Instant.parse(text);
        assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), IsoInstantSerializer.format(instant));
    }

    @Test
    void agreesWithIsoInstantOnManyRandomInstants() {
        Random random = new Random(20261125);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000 to 9999
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), IsoInstantSerializer.format(instant));
        }
    }

    @Test
    void everyMapperWritesInstantsThisWayAndReadsThemBack() throws JsonProcessingException {
        Instant instant = Instant.parse("2026-11-25T19:50:10.702716Z");
        String json = JsonMappers.storage().writeValueAsString(List.of(instant));
        assertEquals("[\"2026-11-25T19:50:10.702716Z\"]", json);
        assertEquals(instant, JsonMappers.storage().readValue(json, Instant[].class)[0]);
    }
}
