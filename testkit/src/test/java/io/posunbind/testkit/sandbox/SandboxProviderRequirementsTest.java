package io.posunbind.testkit.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.model.DocumentKind;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SandboxProviderRequirementsTest {

    private final SandboxFixture sandbox = new SandboxFixture();
    private final Pattern serials = sandbox.provider.terminalSerialPattern().orElseThrow();

    @Test
    void byDefaultTheSandboxAsksForNoExtraDocuments() {
        assertEquals(Set.of(), sandbox.provider.additionalDocuments("CLOSURE", Set.of("DEVICE", "ACCOUNT"), false));
    }

    @Test
    void theDocumentsATestRequiresAreAskedForInEveryCase() {
        sandbox.backend.requireDocuments(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY, DocumentKind.LOSS_REPORT);

        Set<DocumentKind> expected = Set.of(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY, DocumentKind.LOSS_REPORT);
        assertEquals(expected, sandbox.provider.additionalDocuments("CLOSURE", Set.of("ACCOUNT"), false));
        assertEquals(expected, sandbox.provider.additionalDocuments("REPLACEMENT", Set.of("DEVICE"), true));
    }

    @Test
    void requiringDocumentsAgainReplacesTheEarlierOnesAndNoneClearsThem() {
        sandbox.backend.requireDocuments(DocumentKind.LOSS_REPORT, DocumentKind.LOSS_REPORT)
                .requireDocuments(DocumentKind.OWNERSHIP_TRANSFER_AGREEMENT);
        assertEquals(Set.of(DocumentKind.OWNERSHIP_TRANSFER_AGREEMENT),
                sandbox.provider.additionalDocuments("TRANSFER", Set.of("DEVICE"), false));

        sandbox.backend.requireDocuments();
        assertEquals(Set.of(), sandbox.provider.additionalDocuments("TRANSFER", Set.of("DEVICE"), false));
        assertThrows(NullPointerException.class,
                () -> sandbox.backend.requireDocuments(DocumentKind.LOSS_REPORT, null));
    }

    @Test
    void theSerialPatternAcceptsEverySerialTheDemoAndTheTestsSeed() {
        List<String> seeded = List.of(SandboxDemoData.TERMINAL_SERIAL, SandboxDemoData.REPLACEMENT_SERIAL,
                "0820000002", "0820009999", "1170000009", "SN00000001", "SN00049999", "SN-0001", "T0", "T31");

        for (String serial : seeded) {
            assertTrue(serials.matcher(serial).matches(), () -> serial + " should match " + serials);
        }
    }

    @Test
    void theSerialPatternRefusesWhatNoTerminalLabelCarries() {
        List<String> malformed = List.of("", "7", "sn00000001", "0820 000001", "-0820000001", "０８２００００００１",
                "SN/0001", "X".repeat(33));

        for (String serial : malformed) {
            assertFalse(serials.matcher(serial).matches(), () -> "'" + serial + "' should not match " + serials);
        }
    }
}
