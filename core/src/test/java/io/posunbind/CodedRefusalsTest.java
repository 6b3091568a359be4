package io.posunbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.i18n.Messages;
import io.posunbind.spi.model.Money;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An HTTP front end maps every refusal to a response by its code. Value types used to throw plain
 * {@link IllegalArgumentException}s and {@link NullPointerException}s, which the front end could only
 * answer with a 500; each is now an {@link InvalidRequestException} with a code and the field.
 */
class CodedRefusalsTest {

    @Test
    void aMalformedCaseIdIsACodedRefusal() {
        refused(() -> CaseId.of("has space"), "caseId");
        refused(() -> CaseId.of(""), "caseId");
        refused(() -> CaseId.of(null), "caseId");
        refused(() -> CaseId.of("x".repeat(41)), "caseId");
        assertNotEquals(CaseId.of("Case-A"), CaseId.of("case-a"), "case ids are case-sensitive");
    }

    @Test
    void aMalformedActorIsACodedRefusal() {
        refused(() -> new Actor(null, "operator"), "id");
        refused(() -> new Actor(" ", "operator"), "id");
        refused(() -> new Actor("x".repeat(Actor.MAX_ID_LENGTH + 1), "operator"), "id");
        refused(() -> new Actor("operator:li.na", null), "role");
        refused(() -> new Actor("operator:li.na", " "), "role");
        refused(() -> new Actor("operator:li.na", "r".repeat(Actor.MAX_ROLE_LENGTH + 1)), "role");
        InvalidRequestException twoLines = assertThrows(InvalidRequestException.class,
                () -> new Actor("operator:li.na", "two\nlines"));
        assertEquals(CoreErrorCode.UNSAFE_CHARACTERS, twoLines.errorCode());
    }

    @Test
    void aMalformedTransferTargetIsACodedRefusal() {
        refused(() -> TransferTarget.to(null), "merchantNumber");
        refused(() -> TransferTarget.to(" "), "merchantNumber");
        refused(() -> TransferTarget.to("9".repeat(UnbindRequest.MAX_IDENTIFIER_LENGTH + 1)), "merchantNumber");
        assertEquals(Optional.empty(), new TransferTarget("898310058120002", null).storeId());
    }

    @Test
    void aRequestWithoutReasonIsACodedRefusalThatListsTheReasons() {
        InvalidRequestException refused = refused(() -> UnbindRequest.builder().provider("sandbox")
                .merchantNumber("898310058120001").terminalSerial("0820000001").scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na")).build(), "reason");
        assertTrue(refused.violations().get(0).message().contains("DEVICE_FAULTY"), refused.getMessage());
    }

    @Test
    void aReplacementWithoutModelIsACodedRefusal() {
        refused(() -> ReplacementTerminal.of("1170000001", null), "model");
        refused(() -> ReplacementTerminal.of(null, "A920"), "serialNumber");
    }

    @Test
    void anIncompleteFeeConsentIsACodedRefusal() {
        Actor merchant = Actor.merchant("merchant:898310058120001");
        refused(() -> new FeeConsent(null, Money.cny(100), merchant, Instant.EPOCH), "quoteId");
        refused(() -> new FeeConsent("Q-1", null, merchant, Instant.EPOCH), "total");
        refused(() -> new FeeConsent("Q-1", Money.cny(100), null, Instant.EPOCH), "consentedBy");
        refused(() -> new FeeConsent("Q-1", Money.cny(100), merchant, null), "consentedAt");
    }

    @Test
    void cancelledAndDeclinedCasesEndWithCodesThatHaveTextsInBothLanguages() {
        assertEquals("UNB-CANCELLED", CoreErrorCode.CANCELLED.code());
        assertEquals("UNB-FEES-DECLINED", CoreErrorCode.FEES_DECLINED.code());
        for (Locale locale : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
            Messages messages = Messages.forLocale(locale);
            for (CoreErrorCode code : List.of(CoreErrorCode.CANCELLED, CoreErrorCode.FEES_DECLINED,
                    CoreErrorCode.UNSAFE_CHARACTERS)) {
                assertTrue(messages.codeText(code.code()).isPresent(), code + " in " + locale);
            }
        }
    }

    private static InvalidRequestException refused(Executable action, String field) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, action);
        assertEquals(CoreErrorCode.INVALID_REQUEST, refused.errorCode(), refused.getMessage());
        assertTrue(refused.violations().stream().anyMatch(violation -> violation.field().equals(field)),
                refused.violations()::toString);
        return refused;
    }
}
