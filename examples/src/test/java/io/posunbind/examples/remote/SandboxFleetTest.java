package io.posunbind.examples.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.validation.UnifiedSocialCreditCodeValidator;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The numbered fleet: well-formed, distinct identifiers, and a sandbox seeded the way the campaign expects. */
class SandboxFleetTest {

    @Test
    void identifiersAreWellFormedAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i : new int[] {0, 1, 2, 99, 12_345, SandboxFleet.MAX_MERCHANTS - 1}) {
            assertTrue(UnifiedSocialCreditCodeValidator.isValid(SandboxFleet.unifiedSocialCreditCode(i)),
                    SandboxFleet.unifiedSocialCreditCode(i));
            assertEquals(15, SandboxFleet.merchantNumber(i).length());
            assertTrue(seen.add(SandboxFleet.terminalSerial(i)));
            assertTrue(seen.add(SandboxFleet.replacementSerial(i)));
            assertTrue(seen.add(SandboxFleet.merchantNumber(i)));
        }
        assertThrows(IllegalArgumentException.class, () -> SandboxFleet.terminalSerial(SandboxFleet.MAX_MERCHANTS));
        assertThrows(IllegalArgumentException.class, () -> SandboxFleet.terminalSerial(-1));
    }

    @Test
    void seedsOneOrTwoPeripheralsAndAReplacementPerMerchant() {
        SandboxBackend backend = SandboxFleet.seed(new SandboxBackend(), 0, 4);
        for (int i = 0; i < 4; i++) {
            var terminal = backend.terminals().terminal(SandboxFleet.terminalSerial(i)).orElseThrow();
            assertEquals(TerminalStatus.ACTIVE, terminal.status());
            assertEquals(SandboxFleet.peripheralCount(i), terminal.peripherals().size());
            assertEquals(10 + terminal.peripherals().size(), SandboxFleet.expectedEffects(i));
            assertEquals(TerminalStatus.NEW, backend.terminals().terminal(SandboxFleet.replacementSerial(i)).orElseThrow().status());
        }
        // Nothing is unbound yet, so the check after a full unbind finds every merchant wanting.
        assertFalse(SandboxFleet.problemsAfterFullUnbind(backend, 0, 4).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SandboxFleet.seed(backend, 3, 5), "merchant 3 exists");
    }
}
