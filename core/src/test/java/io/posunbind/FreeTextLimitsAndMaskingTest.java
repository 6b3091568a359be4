package io.posunbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.json.UnbindJson;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.validation.ValidationCodes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Merchants type card, account and identity numbers into whatever box is in front of them, and builder
 * callers send texts of any length. The note, names and file references get the same limits through the
 * builder as through JSON, and the numbers are masked before the request exists, so they reach neither the
 * database, nor an export, nor {@code toString()}.
 */
class FreeTextLimitsAndMaskingTest {

    static final String CARD = "6222021001123456789";
    static final String IDENTITY = "11010519491231002X";
    static final String ACCOUNT = "31050161373700000512";

    @Test
    void numbersTypedIntoTheNoteAndTheDocumentsAreMaskedBeforeTheyAreStoredOrPrinted() throws Exception {
        UnbindRequest request = LookAlikeIdentifiersTest.request(builder -> builder
                .reason(UnbindReason.OTHER)
                .reasonNote("退款请打到卡 " + CARD + "，法人身份证 " + IDENTITY + "，对公账户 " + ACCOUNT)
                .documents(new Document.BusinessLicence("91310000MA1FL4B24G", "上海示例餐饮有限公司 " + CARD),
                        new Document.LegalRepresentativeIdentity("张伟 " + IDENTITY, IdentityNumber.of(IDENTITY)),
                        new Document.FileReference(DocumentKind.LOSS_REPORT, "uploads/" + CARD + ".pdf",
                                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                        new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
                                AccountNumber.of(ACCOUNT), "张伟 " + ACCOUNT, "中国建设银行"))));

        String printed = request.toString();
        String exported = new ObjectMapper().registerModule(UnbindJson.module()).writeValueAsString(request);
        for (String clear : List.of(CARD, IDENTITY, ACCOUNT)) {
            assertFalse(printed.contains(clear), printed);
            assertFalse(exported.contains(clear), exported);
        }
        assertTrue(request.reasonNote().startsWith("退款请打到卡 ***************6789"), request.reasonNote());
        assertTrue(request.reasonNote().contains("法人身份证 **************002X"), request.reasonNote());
        // What the JSON reader builds is masked the same way: one rule for both doors.
        String json = """
                {"providerId":"sandbox","merchantNumber":"898310058120001","terminalSerial":"0820000001",
                 "reason":"OTHER","reasonNote":"%s","scope":["DEVICE"],
                 "requestedBy":{"id":"operator:li.na","role":"operator"},"documents":[],"makeBeforeBreak":false}"""
                .formatted("退款请打到卡 " + CARD + "，法人身份证 " + IDENTITY + "，对公账户 " + ACCOUNT);
        assertEquals(request.reasonNote(), UnbindJson.readRequest(json).reasonNote());
    }

    @Test
    void merchantNumbersAndShortNumbersInNotesStayReadable() {
        UnbindRequest request = LookAlikeIdentifiersTest.request(builder -> builder.reason(UnbindReason.OTHER)
                .reasonNote("商户号 898310058120001 的 2 台 POS 机，工单 20261125"));
        assertEquals("商户号 898310058120001 的 2 台 POS 机，工单 20261125", request.reasonNote());
    }

    @Test
    void theBuilderEnforcesTheSameLimitsAsJson() {
        InvalidRequestException note = assertThrows(InvalidRequestException.class,
                () -> LookAlikeIdentifiersTest.request(builder -> builder.reasonNote("x".repeat(501))));
        assertEquals(ValidationCodes.TOO_LONG, note.violations().get(0).code());
        assertEquals("reasonNote", note.violations().get(0).field());
        InvalidRequestException name = assertThrows(InvalidRequestException.class,
                () -> LookAlikeIdentifiersTest.request(builder -> builder.documents(
                        new Document.BusinessLicence("91310000MA1FL4B24G", "名".repeat(201)))));
        assertEquals("documents[0].merchantName", name.violations().get(0).field());
        InvalidRequestException reference = assertThrows(InvalidRequestException.class,
                () -> LookAlikeIdentifiersTest.request(builder -> builder.documents(new Document.FileReference(
                        DocumentKind.LOSS_REPORT, "r".repeat(UnbindRequest.MAX_REFERENCE_LENGTH + 1), "abc"))));
        assertEquals("documents[0].reference", reference.violations().get(0).field());
        SettlementAccount longHolder = new SettlementAccount(SettlementAccountKind.BANK_CARD, AccountNumber.of(CARD),
                "h".repeat(UnbindRequest.MAX_NAME_LENGTH + 1), "中国工商银行");
        InvalidRequestException holder = assertThrows(InvalidRequestException.class,
                () -> new ReplacementTerminal("1170000001", "A920", Optional.of(longHolder)));
        assertEquals("settlementAccount.holderName", holder.violations().get(0).field());

        String tooLongName = "{\"type\":\"BUSINESS_LICENCE\",\"unifiedSocialCreditCode\":\"91310000MA1FL4B24G\","
                + "\"merchantName\":\"" + "名".repeat(201) + "\"}";
        InvalidRequestException fromJson = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readDocuments("[" + tooLongName + "]"));
        assertEquals("documents[0].merchantName", fromJson.violations().get(0).field());
        assertEquals(ValidationCodes.TOO_LONG, fromJson.violations().get(0).code());
    }

    @Test
    void controlAndDirectionCharactersInFreeTextAreRefusedButLineBreaksInNotesAreFine() {
        UnbindRequest twoLines = LookAlikeIdentifiersTest.request(builder -> builder.reasonNote("第一行\n第二行"));
        assertEquals("第一行\n第二行", twoLines.reasonNote());
        InvalidRequestException bidi = assertThrows(InvalidRequestException.class,
                () -> LookAlikeIdentifiersTest.request(builder -> builder.reasonNote("amount \u202E001")));
        assertEquals(CoreErrorCode.UNSAFE_CHARACTERS, bidi.errorCode());
        InvalidRequestException nul = assertThrows(InvalidRequestException.class,
                () -> LookAlikeIdentifiersTest.request(builder -> builder.documents(
                        new Document.LegalRepresentativeIdentity("张\u0000伟", IdentityNumber.of(IDENTITY)))));
        assertEquals("documents[0].name", nul.violations().get(0).field());
    }
}
