package io.posunbind.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.InvalidRequestException;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two commands an HTTP front end needs besides the others: documents handed in later, and an
 * institution's decision recorded by hand. Both read what a client wrote, mask free text, and refuse a
 * malformed body naming each field.
 */
class DocumentsAndDecisionCommandsTest {

    private static final Actor MERCHANT = Actor.merchant("merchant:898310058120001");

    @Test
    void documentsAreReadWithTheirTypesAndANumberTypedIntoANameIsMasked() {
        SubmitDocumentsCommand command = UnbindJson.readCommand("""
                {"actor":{"id":"merchant:898310058120001","role":"merchant"},
                 "documents":[{"type":"BUSINESS_LICENCE","unifiedSocialCreditCode":"91310000MA1FL4B24G",
                               "merchantName":"上海示例餐饮有限公司 6222021001123456789"}]}""", SubmitDocumentsCommand.class);

        assertEquals(MERCHANT, command.actor());
        Document.BusinessLicence licence = (Document.BusinessLicence) command.documents().get(0);
        assertEquals("91310000MA1FL4B24G", licence.unifiedSocialCreditCode());
        assertFalse(licence.merchantName().contains("6222021001123456789"), licence.merchantName());
    }

    @Test
    void noDocumentsAtAllOrANullOneIsRefusedNamingTheField() {
        assertEquals(List.of("documents"), fields(() -> UnbindJson.readCommand(
                "{\"actor\":{\"id\":\"merchant:1\",\"role\":\"merchant\"},\"documents\":[]}",
                SubmitDocumentsCommand.class)));
        assertEquals(List.of("actor", "documents[0]"), fields(() -> new SubmitDocumentsCommand(null,
                Arrays.asList((Document) null))));
    }

    @Test
    void aDecisionIsReadAndItsMessageMasked() {
        DecisionCommand command = UnbindJson.readCommand("""
                {"actor":{"id":"operator:li.na","role":"operator"},
                 "decision":{"outcome":"REJECTED","applicationReference":"SBX-APP-000001","reasonCode":"R-031",
                             "message":"账户 6222021001123456789 不符","requestedDocuments":[],
                             "decidedAt":"2026-11-25T08:00:00Z"}}""", DecisionCommand.class);

        assertEquals(InstitutionDecision.Outcome.REJECTED, command.decision().outcome());
        assertEquals(Instant.parse("2026-11-25T08:00:00Z"), command.decision().decidedAt());
        assertFalse(command.decision().message().contains("6222021001123456789"));
    }

    @Test
    void aDecisionCommandWithoutADecisionIsRefused() {
        assertEquals(List.of("decision"), fields(() -> UnbindJson.readCommand(
                "{\"actor\":{\"id\":\"operator:li.na\",\"role\":\"operator\"}}", DecisionCommand.class)));
    }

    private static List<String> fields(Runnable reading) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, reading::run);
        assertTrue(refused.violations().size() > 0);
        return refused.violations().stream().map(RuleViolation::field).toList();
    }
}
