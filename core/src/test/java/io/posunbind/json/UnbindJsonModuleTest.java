package io.posunbind.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.HistoryEntry;
import io.posunbind.ReplacementTerminal;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeKind;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An application team returns a {@link CaseSnapshot} from a Spring controller, whose {@code ObjectMapper}
 * knows nothing about posunbind but the module it registered. The case holds an account number and an
 * identity number: the JSON must come out, masked, with the shapes a client expects.
 */
class UnbindJsonModuleTest {

    static final String ACCOUNT = "6222021001123456789";
    static final String IDENTITY = "11010519491231002X";
    static final Instant T0 = Instant.parse("2026-11-25T02:00:00Z");

    @Test
    void aPlainObjectMapperWritesASnapshotHoldingAnAccountNumberMasked() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(UnbindJson.module());
        CaseSnapshot snapshot = snapshotWithSensitiveNumbers();

        String json = mapper.writeValueAsString(snapshot);

        assertFalse(json.contains(ACCOUNT), json);
        assertFalse(json.contains(IDENTITY), json);
        JsonNode tree = mapper.readTree(json);
        assertEquals("622202*********6789", tree.at("/request/replacement/settlementAccount/number").asText());
        assertEquals("k3m9x2q8r7", tree.get("id").asText(), "a case id is a string");
        assertTrue(tree.get("id").isTextual());
        JsonNode quote = tree.get("feeQuote");
        assertEquals(26_800, quote.at("/total/minorUnits").asLong(), "the fee quote carries its total");
        assertEquals("CNY", quote.at("/total/currency").asText());
        JsonNode amount = quote.at("/items/0/amount");
        assertEquals(List.of("minorUnits", "currency"), fieldNames(amount), "money without stray fields");
        assertEquals(List.of(1, 2, 7, 3), numbers(tree.get("steps")), "steps in plan order");
        assertEquals("2026-11-25T02:00:00Z", tree.get("createdAt").asText(), "instants as ISO-8601 text");
        assertEquals("2026-11-25T03:00:00Z", tree.get("wakeAt").asText());
        assertEquals("FEE_CONSENT", tree.get("waitingFor").asText());
        assertEquals("SETTLEMENT_ACCOUNT", tree.at("/request/documents/0/type").asText());
        assertTrue(tree.at("/request/transferTo").isNull());
    }

    @Test
    void theModuleWritesWhatWriteSnapshotWrites() throws Exception {
        CaseSnapshot snapshot = snapshotWithSensitiveNumbers();
        // Registered twice, as a host with two configuration classes might: the second has no effect.
        ObjectMapper mapper = new ObjectMapper().registerModule(UnbindJson.module())
                .registerModule(UnbindJson.module());
        assertEquals(mapper.readTree(UnbindJson.writeSnapshot(snapshot)),
                mapper.readTree(mapper.writeValueAsString(snapshot)));
    }

    @Test
    void aRequestWrittenByAHostMapperIsReadBackByUnbindJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(UnbindJson.module());
        UnbindRequest request = UnbindRequest.builder().provider("sandbox").merchantNumber("898310058120001")
                .terminalSerial("0820000001").reason(UnbindReason.DEVICE_FAULTY).scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na")).build();
        assertEquals(request, UnbindJson.readRequest(mapper.writeValueAsString(request)));
        assertEquals(CaseId.of("Case-1"), mapper.readValue("\"Case-1\"", CaseId.class));
    }

    static CaseSnapshot snapshotWithSensitiveNumbers() {
        SettlementAccount account = new SettlementAccount(SettlementAccountKind.BANK_CARD, AccountNumber.of(ACCOUNT),
                "上海示例餐饮有限公司", "中国工商银行");
        UnbindRequest request = UnbindRequest.builder().provider("sandbox").merchantNumber("898310058120001")
                .terminalSerial("0820000001").reason(UnbindReason.PAYMENT_SYSTEM_CHANGE).allBindings()
                .replacement(new ReplacementTerminal("1170000001", "PAX A920Pro", Optional.of(account)))
                .documents(new Document.SettlementAccountProof(account),
                        new Document.LegalRepresentativeIdentity("张伟", IdentityNumber.of(IDENTITY)))
                .requestedBy(Actor.operator("operator:li.na")).build();
        List<StepSnapshot> steps = new ArrayList<>();
        // Peripheral steps are numbered when the plan expands, so plan order is not number order.
        for (int[] step : new int[][] {{1, 0}, {2, 1}, {7, 2}, {3, 3}}) {
            steps.add(new StepSnapshot(step[0], StepKind.values()[step[1]], "", StepStatus.PLANNED, 0,
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }
        FeeQuote quote = new FeeQuote("Q-1", List.of(new FeeItem(FeeKind.UNBIND_FEE, Money.cny(20_000), "解绑费"),
                new FeeItem(FeeKind.CHANGE_FEE, Money.cny(6_800), "变更费")), T0.plusSeconds(86_400));
        return new CaseSnapshot(CaseId.of("k3m9x2q8r7"), 4, request, CaseState.WAITING,
                Optional.of(WaitReason.FEE_CONSENT), steps, List.of(), Optional.of(quote), Optional.empty(),
                Optional.empty(), List.of(new HistoryEntry(T0, "operator:li.na", "CASE_OPENED", "opened")), T0, T0,
                Optional.of(T0.plusSeconds(3_600)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Integer> numbers(JsonNode steps) {
        List<Integer> numbers = new ArrayList<>();
        steps.forEach(step -> numbers.add(step.get("number").asInt()));
        return numbers;
    }
}
