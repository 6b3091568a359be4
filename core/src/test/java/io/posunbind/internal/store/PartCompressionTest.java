package io.posunbind.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parts stored on PostgreSQL are compressed, and come back as they were. */
class PartCompressionTest {

    @Test
    void anyTextComesBackAsItWasAndAnEngineLikePartShrinks() {
        String request = ",\"request\":{\"providerId\":\"sandbox\",\"merchantNumber\":\"M000000001\",\"terminalSerial\":"
                + "\"SN00000001\",\"reason\":\"DEVICE_FAULTY\",\"reasonNote\":\"\",\"scope\":[\"DEVICE\"],\"requestedBy\":"
                + "{\"id\":\"bench\",\"role\":\"operator\"},\"makeBeforeBreak\":false,\"locale\":\"zh_CN\"}";
        for (String text : List.of(request, "", "商户 ✓ \u0000 \\u5546", "x".repeat(100_000))) {
            assertEquals(text, PartCompression.decompress(PartCompression.compress(text)));
        }
        int stored = PartCompression.compress(request).length;
        assertTrue(stored < request.length() / 3, stored + " bytes for " + request.length() + " characters");
    }

    @Test
    void bytesOfAnotherFormatOrCutShortAreRefused() {
        byte[] stored = PartCompression.compress("{\"a\":\"" + "b".repeat(500) + "\"}");
        assertThrows(IllegalArgumentException.class, () -> PartCompression.decompress(new byte[] {9, 1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> PartCompression.decompress(Arrays.copyOf(stored, stored.length / 2)));
    }
}
