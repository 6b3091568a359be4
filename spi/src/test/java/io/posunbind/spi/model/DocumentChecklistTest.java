package io.posunbind.spi.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentChecklistTest {

    @Test
    void aProviderReplacesAnItemRatherThanOnlyAddingOne() {
        // Only lost devices need a police report here, and closures need the director's identity.
        DocumentChecklist hongKong = DocumentChecklist.international().named("HK")
                .with(DocumentChecklist.Item.forReasons(DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY, "CLOSURE"))
                .with(DocumentChecklist.Item.forReasons(DocumentKind.BUSINESS_LICENCE, "CLOSURE"));

        assertEquals("HK", hongKong.profile());
        assertEquals(Set.of(), hongKong.requiredFor("DEVICE_FAULTY", Set.of("DEVICE"), false));
        assertEquals(Set.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY),
                hongKong.requiredFor("CLOSURE", Set.of("DEVICE"), false));
        assertEquals(1, hongKong.items().stream().filter(item -> item.kind() == DocumentKind.BUSINESS_LICENCE)
                .count(), "replaced, not added twice");
    }

    @Test
    void theInternationalProfileHasNoChineseChecks() {
        assertTrue(DocumentChecklist.international().checks().isEmpty());
        assertTrue(DocumentChecklist.china().checks(DocumentChecklist.Check.ONE_TERMINAL_ONE_MERCHANT));
        assertFalse(DocumentChecklist.china().withChecks(Set.of())
                .checks(DocumentChecklist.Check.UNIFIED_SOCIAL_CREDIT_CODE));
        assertEquals(Set.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.SETTLEMENT_ACCOUNT),
                DocumentChecklist.international().requiredFor("CLOSURE", Set.of("DEVICE", "ACCOUNT"), true));
    }

    @Test
    void aChecklistNeedsAProfileName() {
        assertThrows(IllegalArgumentException.class, () -> new DocumentChecklist(" ", List.of(), Set.of()));
    }
}
