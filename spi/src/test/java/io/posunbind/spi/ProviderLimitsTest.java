package io.posunbind.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A provider's declared limits as an adapter author writes them: provider-wide, and per operation on top. */
class ProviderLimitsTest {

    @Test
    void anEndpointsLimitIsDeclaredOnItsOperationBesideTheApisLimitsAndReadBack() {
        ProviderLimits limits = ProviderLimits.of(10, 4)
                .withOperation(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20));
        assertEquals(10, limits.callsPerSecond());
        assertEquals(4, limits.concurrentCalls());
        assertEquals(Optional.of(CallLimit.of(20, Duration.ofMinutes(1))),
                limits.operationLimit(OperationKind.UNBIND_SETTLEMENT_ACCOUNT));
        assertEquals(Optional.empty(), limits.operationLimit(OperationKind.UNBIND_TERMINAL));
        assertEquals(20.0 / 60, CallLimit.perMinute(20).callsPerSecond(), 1e-12);
        // Declared again, the operation's limit is replaced; the value it was made from is unchanged.
        ProviderLimits raised = limits.withOperation(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(40));
        assertEquals(Map.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(40)), raised.operationLimits());
        assertEquals(Map.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, CallLimit.perMinute(20)), limits.operationLimits());
    }

    @Test
    void theFormOfSpi20StillBuildsAndAnOperationLimitAloneIsALimit() {
        assertEquals(new ProviderLimits(25, 4, Map.of()), new ProviderLimits(25, 4));
        assertTrue(ProviderLimits.unlimited().isUnlimited());
        assertFalse(ProviderLimits.unlimited().withOperation(OperationKind.DISABLE_TERMINAL, CallLimit.perSecond(1))
                .isUnlimited(), "unlimited provider-wide, limited for one operation");
    }

    @Test
    void theOperationsLimitsCannotBeChangedThroughTheMapTheyCameFrom() {
        Map<OperationKind, CallLimit> given = new EnumMap<>(OperationKind.class);
        given.put(OperationKind.UNBIND_TERMINAL, CallLimit.perSecond(2));
        ProviderLimits limits = new ProviderLimits(10, 0, given);
        given.clear();
        assertEquals(Optional.of(CallLimit.perSecond(2)), limits.operationLimit(OperationKind.UNBIND_TERMINAL));
        assertThrows(UnsupportedOperationException.class, () -> limits.operationLimits().clear());
    }

    @Test
    void aLimitOfNoCallsOrOverNoTimeIsNoLimitAProviderCanMean() {
        assertThrows(IllegalArgumentException.class, () -> CallLimit.perMinute(0));
        assertThrows(IllegalArgumentException.class, () -> CallLimit.perSecond(-5));
        assertThrows(IllegalArgumentException.class, () -> CallLimit.of(5, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> CallLimit.of(5, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> CallLimit.of(5, Duration.ofHours(2)));
        Map<OperationKind, CallLimit> withNull = new EnumMap<>(OperationKind.class);
        withNull.put(OperationKind.UNBIND_TERMINAL, null);
        assertThrows(NullPointerException.class, () -> new ProviderLimits(1, 1, withNull));
        assertThrows(NullPointerException.class, () -> ProviderLimits.of(1, 1).withOperation(null,
                CallLimit.perSecond(1)));
    }
}
