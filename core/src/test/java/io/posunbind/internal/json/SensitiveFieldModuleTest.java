package io.posunbind.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.internal.crypto.FieldCipher;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.CardNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitiveFieldModuleTest {

    private static final String ACCOUNT = "6212345678901265";
    private static final String IDENTITY = "11010519491231002X";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataKey key = DataKey.generate("2025-01", RANDOM);
    private final ObjectMapper encrypting = JsonMappers.storage(FieldCipher.create(StaticDataKeyProvider.of(key)));

    /** A stored document shape with every kind of sensitive number. */
    record Holder(SettlementAccount account, List<Document> documents, CardNumber card, PhoneNumber phone) {
    }

    private final Holder holder = new Holder(
            new SettlementAccount(SettlementAccountKind.BANK_CARD, AccountNumber.of(ACCOUNT), "张三", "中国银行"),
            List.of(new Document.SettlementAccountProof(new SettlementAccount(SettlementAccountKind.BANK_CARD,
                    AccountNumber.of(ACCOUNT), "张三", "中国银行")),
                    new Document.LegalRepresentativeIdentity("张三", IdentityNumber.of(IDENTITY))),
            CardNumber.of("6250946000000016"), PhoneNumber.of("13812345678"));

    @Test
    void storedDocumentHoldsNoClearNumberAndRoundTrips() throws JsonProcessingException {
        String json = encrypting.writeValueAsString(holder);
        for (String clear : List.of(ACCOUNT, IDENTITY, "6250946000000016", "13812345678", "901265", "5678")) {
            assertFalse(json.contains(clear), clear + " in " + json);
        }
        assertTrue(json.contains("\"number\":\"enc:v1:2025-01:"), json);
        assertEquals(holder, encrypting.readValue(json, Holder.class));
    }

    @Test
    void settlementAccountAloneRoundTrips() throws JsonProcessingException {
        SettlementAccount account = holder.account();
        String json = encrypting.writeValueAsString(account);
        assertFalse(json.contains(ACCOUNT));
        assertEquals(account, encrypting.readValue(json, SettlementAccount.class));
    }

    @Test
    void olderDocumentsWithClearNumbersAreStillRead() throws JsonProcessingException {
        String old = JsonMappers.storage().writeValueAsString(holder);
        assertTrue(old.contains(ACCOUNT), "the revealing mapper writes clear values");
        assertEquals(holder, encrypting.readValue(old, Holder.class));
    }

    @Test
    void maskedMapperIsUnchanged() throws JsonProcessingException {
        String json = JsonMappers.masked().writeValueAsString(holder.account());
        assertTrue(json.contains("\"number\":\"621234******1265\""), json);
    }

    @Test
    void theClearMapperRefusesTokensSayingWhatToDo() throws JsonProcessingException {
        String json = encrypting.writeValueAsString(holder);
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> JsonMappers.storage().readValue(json, Holder.class));
        assertTrue(e.getMessage().contains("no data key"), e.getMessage());
    }

    @Test
    void anUnknownKeySurfacesAsACodedCause() throws JsonProcessingException {
        String json = encrypting.writeValueAsString(holder);
        ObjectMapper otherKeys = JsonMappers.storage(FieldCipher.create(
                StaticDataKeyProvider.of(DataKey.generate("2026-01", RANDOM))));
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> otherKeys.readValue(json, Holder.class));
        PosUnbindException coded = JsonMappers.codedCause(e).orElseThrow();
        assertEquals(CoreErrorCode.DATA_KEY_UNKNOWN, coded.errorCode());
        assertFalse(e.getMessage().contains("enc:v1"), "no token quoted");
    }

    @Test
    void aTamperedTokenSurfacesAsACodedCause() throws JsonProcessingException {
        String json = encrypting.writeValueAsString(holder.account());
        int at = json.indexOf("enc:v1:2025-01:") + 20;
        String tampered = json.substring(0, at) + (json.charAt(at) == 'A' ? 'B' : 'A') + json.substring(at + 1);
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> encrypting.readValue(tampered, SettlementAccount.class));
        assertEquals(CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE, JsonMappers.codedCause(e).orElseThrow().errorCode());
    }

    @Test
    void wrongJsonTypesAreInputMismatches() {
        String json = "{\"kind\":\"BANK_CARD\",\"number\":12345,\"holderName\":\"a\",\"institutionName\":\"b\"}";
        assertThrows(JsonProcessingException.class, () -> encrypting.readValue(json, SettlementAccount.class));
    }

    @Test
    void existingMappersAreSharedInstances() {
        assertSame(JsonMappers.storage(), JsonMappers.storage());
        assertSame(JsonMappers.masked(), JsonMappers.masked());
    }
}
