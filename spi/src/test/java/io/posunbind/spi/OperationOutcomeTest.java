package io.posunbind.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationOutcomeTest {

    @Test
    void aRetryableFailureWithoutTheProvidersHintIsWrittenWithoutItNotWithNull() {
        assertThrows(NullPointerException.class, () -> OperationOutcome.retryable("503", "down", null));

        assertEquals(Optional.empty(), OperationOutcome.retryable("503", "down").retryAfter());
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                OperationOutcome.retryable("503", "down", Duration.ofSeconds(30)).retryAfter());
    }
}
