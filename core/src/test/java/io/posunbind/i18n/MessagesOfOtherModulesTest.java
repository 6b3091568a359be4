package io.posunbind.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.posunbind.CoreErrorCode;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A module beside core (a provider adapter) ships texts for its own codes, listed in
 * {@code META-INF/posunbind/message-bundles}; {@link Messages} shows them as it shows core's, so a merchant reads
 * the adapter's code in words. This test's module is {@code io/posunbind/i18n/othermodule/messages*.properties}.
 */
class MessagesOfOtherModulesTest {

    private final Messages chinese = Messages.forLocale(Locale.SIMPLIFIED_CHINESE);
    private final Messages english = Messages.forLocale(Locale.ENGLISH);

    @Test
    void aModulesCodeReadsInTheReadersLanguageWithItsArguments() {
        assertEquals(Optional.of("收单机构的终端SN001已被锁定。"), chinese.find("error.OTH-TERMINAL-LOCKED", "SN001"));
        assertEquals(Optional.of("The acquirer's terminal SN001 is locked."),
                english.find("error.OTH-TERMINAL-LOCKED", "SN001"));
    }

    @Test
    void aTextTheModuleHasOnlyInEnglishIsShownInEnglishRatherThanAsACode() {
        assertEquals(Optional.of("Only in English."), chinese.codeText("OTH-ENGLISH-ONLY"));
    }

    @Test
    void aModuleCannotReplaceCoresOwnText() {
        String coreText = english.errorText(CoreErrorCode.CASE_NOT_FOUND);

        assertFalse(coreText.contains("A module cannot replace"), coreText);
        assertEquals(Optional.of(coreText), english.codeText("UNB-CASE-NOT-FOUND"));
    }

    @Test
    void aCodeNoModuleNamesStaysUnknown() {
        assertEquals(Optional.empty(), chinese.codeText("OTH-NEVER-DEFINED"));
    }
}
