package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.builderFor;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static io.posunbind.scenarios.UnbindingHarness.unbinderFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindPreview;
import io.posunbind.WaitReason;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.DocumentKind;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A Dutch bakery unbinds its terminal at an Adyen-like provider that declares the international document
 * checklist: it has a Chamber of Commerce (KvK) number, no Chinese unified social credit code, and its
 * terminal is not subject to PBOC 259号. A provider or the application chooses the checklist and may
 * replace its items; the Chinese checklist still demands what it always did.
 */
class DocumentChecklistsScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";
    private static final String SERIAL = "V400M-324688179";
    private static final Document KVK_REGISTRATION = new Document.BusinessRegistration("12345678",
            "Bakkerij de Vries B.V.");

    private final TerminalInventoryProvider international = new TerminalInventoryProvider()
            .withTerminal(SERIAL, "V400m", List.of(), MERCHANT);

    @Test
    void aDutchMerchantAtAProviderDeclaringTheInternationalProfileCompletesWithoutACreditCode() {
        CaseSnapshot unbound = unbinderFor(international).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT,
                SERIAL).documents(KVK_REGISTRATION).build());

        assertEquals(CaseState.COMPLETED, unbound.state(), unbound.describe(Locale.ENGLISH));
    }

    @Test
    void theChineseProfileStillDemandsTheLicenceWithItsCreditCode() {
        TerminalInventoryProvider chinese = international.checklist(DocumentChecklist.china());

        CaseSnapshot held = unbinderFor(chinese).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(KVK_REGISTRATION).build());

        assertTrue(held.isWaitingFor(WaitReason.DOCUMENTS), held.describe(Locale.ENGLISH));
        assertTrue(held.violations().stream().anyMatch(v -> v.code().equals(RuleCode.DOCUMENT_INVALID.code())
                && v.field().equals("BUSINESS_LICENCE") && v.message().contains("unified social credit code")),
                held.violations().toString());
        assertTrue(held.violations().stream().anyMatch(v -> v.code().equals(RuleCode.DOCUMENT_MISSING.code())
                && v.field().equals("TERMINAL_INFORMATION")), held.violations().toString());
        assertEquals(List.of(), chinese.received(), "nothing is unbound while documents are missing");
    }

    @Test
    void aProviderThatDeclaresNoChecklistFollowsTheChineseOne() {
        TerminalInventoryProvider byDefault = international.withoutDeclaredChecklist();

        UnbindPreview preview = unbinderFor(byDefault).preview(deviceOnly(TerminalInventoryProvider.ID, MERCHANT,
                SERIAL).documents(KVK_REGISTRATION).build());

        assertEquals(Set.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.TERMINAL_INFORMATION),
                preview.requiredDocuments());
        assertTrue(preview.violations().stream().anyMatch(v -> v.field().equals("BUSINESS_LICENCE")),
                preview.violations().toString());
    }

    @Test
    void thePreviewShowsTheListOfTheProvidersProfile() {
        UnbindPreview dutch = unbinderFor(international).preview(deviceOnly(TerminalInventoryProvider.ID, MERCHANT,
                SERIAL).build());

        assertEquals(Set.of(DocumentKind.BUSINESS_LICENCE), dutch.requiredDocuments());
        assertEquals(Set.of(DocumentKind.BUSINESS_LICENCE), dutch.missingDocuments());
        assertTrue(dutch.violations().stream().map(RuleViolation::message)
                .anyMatch(message -> message.contains("business registration")), dutch.violations().toString());
    }

    @Test
    void anApplicationOverridesTheProvidersChecklistAndReplacesItems() {
        // The application wants the terminal's identification back, and no business document at all.
        DocumentChecklist own = DocumentChecklist.international().named("NL-SHOPS")
                .without(DocumentKind.BUSINESS_LICENCE).with(DocumentChecklist.Item.always(
                        DocumentKind.TERMINAL_INFORMATION));

        UnbindPreview preview = builderFor(international).documentChecklist(own).build()
                .preview(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL).build());

        assertEquals(Set.of(DocumentKind.TERMINAL_INFORMATION), preview.requiredDocuments());
    }

    @Test
    void aProvidersAdditionalDocumentsStillAddToItsProfile() {
        TerminalInventoryProvider strict = international.additionally(Set.of(DocumentKind.LOSS_REPORT));

        UnbindPreview preview = unbinderFor(strict).preview(deviceOnly(TerminalInventoryProvider.ID, MERCHANT,
                SERIAL).documents(KVK_REGISTRATION).build());

        assertEquals(Set.of(DocumentKind.BUSINESS_LICENCE, DocumentKind.LOSS_REPORT), preview.requiredDocuments());
        assertEquals(Set.of(DocumentKind.LOSS_REPORT), preview.missingDocuments());
    }

    @Test
    void aTerminalSharedByTwoMerchantsIsBlockedByPboc259OnlyUnderTheChineseProfile() {
        TerminalInventoryProvider shared = new TerminalInventoryProvider()
                .withTerminal(SERIAL, "V400m", List.of(), MERCHANT, "NL-BAKKERIJ-02");

        CaseSnapshot dutch = unbinderFor(shared).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT, SERIAL)
                .documents(KVK_REGISTRATION).build());
        assertEquals(CaseState.COMPLETED, dutch.state(), dutch.describe(Locale.ENGLISH));

        TerminalInventoryProvider sharedInChina = new TerminalInventoryProvider().checklist(DocumentChecklist.china())
                .withTerminal(SERIAL, "V400m", List.of(), MERCHANT, "NL-BAKKERIJ-02");
        CaseSnapshot chinese = unbinderFor(sharedInChina).open(deviceOnly(TerminalInventoryProvider.ID, MERCHANT,
                SERIAL).documents(KVK_REGISTRATION).build());
        assertEquals(CaseState.BLOCKED, chinese.state());
        assertEquals(RuleCode.TERMINAL_BOUND_TO_SEVERAL_MERCHANTS.code(), chinese.failureCode().orElseThrow());
    }
}
