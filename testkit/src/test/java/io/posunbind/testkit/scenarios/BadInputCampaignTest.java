package io.posunbind.testkit.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.json.UnbindJson;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseFilter;
import io.posunbind.store.JdbcCaseStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never hurts: thousands of generated malformed requests, documents, decisions and callback
 * completions are each answered with a coded error (or accepted when still valid), never with an
 * unhandled exception, and the store stays consistent. Among them are the hostile inputs an outside
 * tester used: lone surrogate escapes, invisible and direction characters, duplicate keys, bytes that are
 * not UTF-8 and UTF-16 text; the first, third, fourth and fifth kind are never accepted.
 */
class BadInputCampaignTest {

    static final int INPUTS = Integer.getInteger("badinput.count", 10_000);

    static final String REQUEST = """
            {"providerId":"sandbox","merchantNumber":"898310058120001","terminalSerial":"0820000001",
             "reason":"PAYMENT_SYSTEM_CHANGE","reasonNote":"更换支付系统","scope":["DEVICE","ACCOUNT","MERCHANT_INFO"],
             "replacement":{"serialNumber":"1170000001","model":"PAX A920Pro","settlementAccount":null},
             "requestedBy":{"id":"operator:li.na","role":"operator"},
             "documents":[{"type":"BUSINESS_LICENCE","unifiedSocialCreditCode":"91310000MA1FL4B24G","merchantName":"上海示例餐饮有限公司"},
                          {"type":"TERMINAL_INFORMATION","serialNumber":"0820000001","model":"PAX A920"},
                          {"type":"SETTLEMENT_ACCOUNT","account":{"kind":"BANK_CARD","number":"6222021001123456789","holderName":"张伟","institutionName":"工商银行"}}],
             "transferTo":null,"makeBeforeBreak":false}""";
    static final String DOCUMENTS = """
            [{"type":"FILE","kind":"TRAINING_MATERIAL","reference":"docs/training.pdf","sha256Hex":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
             {"type":"LEGAL_REPRESENTATIVE_IDENTITY","name":"张伟","identityNumber":"11010519491231002X"}]""";
    static final String DECISION = """
            {"outcome":"APPROVED","applicationReference":"SBX-APP-000001","reasonCode":"","message":"ok",
             "requestedDocuments":[],"decidedAt":"2026-11-25T03:00:00Z"}""";

    @TempDir
    Path data;

    @Test
    void thousandsOfMalformedInputsAreAllAnsweredWithACode() {
        Map<String, Integer> outcomes = new TreeMap<>();
        try (JdbcCaseStore store = JdbcCaseStore.h2File(data)) {
            MerchantCase merchant = new MerchantCase(store);
            UnbindRequest valid = UnbindJson.readRequest(REQUEST);
            assertEquals(3, valid.documents().size());
            CaseSnapshot victim = merchant.unbinder.open(CaseId.of("victim"),
                    MerchantCase.fullReplacement().documents(MerchantCase.allDocuments()).build());
            assertTrue(victim.isWaitingFor(WaitReason.FEE_CONSENT));
            // A second merchant's case waits for documents: the target of the document inputs.
            merchant.sandbox.addMerchant("898310058120002", "第二家商户", "91110000802100433B", "李四");
            merchant.sandbox.addTerminal("0820000002", "PAX A920", "898310058120002");
            CaseSnapshot documentsVictim = merchant.unbinder.open(CaseId.of("victim-docs"), UnbindRequest.builder()
                    .provider("sandbox").merchantNumber("898310058120002").terminalSerial("0820000002")
                    .reason(io.posunbind.UnbindReason.DEVICE_FAULTY).scope(io.posunbind.BindingKind.DEVICE)
                    .requestedBy(MerchantCase.OPERATOR).build());
            assertTrue(documentsVictim.isWaitingFor(WaitReason.DOCUMENTS));
            Random random = new Random(20261125);

            for (int i = 0; i < INPUTS; i++) {
                int kind = i % 10;
                int mutation = random.nextInt(HOSTILE_MUTATIONS);
                if (kind < 4) {
                    byte[] input = mutate(REQUEST, random, mutation);
                    attempt(outcomes, label("request", mutation), () -> {
                        UnbindRequest request = UnbindJson.readRequest(input);
                        merchant.unbinder.preview(request);
                        merchant.unbinder.open(CaseId.of("bad-" + random.nextInt(50)), request);
                    });
                } else if (kind < 7) {
                    byte[] input = mutate(DOCUMENTS, random, mutation);
                    attempt(outcomes, label("documents", mutation), () -> merchant.unbinder.submitDocuments(
                            CaseId.of("victim-docs"), MerchantCase.OPERATOR, UnbindJson.readDocuments(input)));
                } else if (kind < 9) {
                    byte[] input = mutate(DECISION, random, mutation);
                    attempt(outcomes, label("decision", mutation), () -> merchant.unbinder.recordDecision(victim.id(),
                            MerchantCase.OPERATOR, UnbindJson.readDecision(input)));
                } else {
                    String reference = random.nextBoolean() ? "SBX-ACC-" + random.nextInt(10) : garbage(random, 40);
                    attempt(outcomes, "callback", () -> merchant.unbinder.completeOperation(victim.id(),
                            new Actor("callback:sandbox", "provider"), reference,
                            OperationOutcome.done(garbage(random, 10))));
                }
            }

            // Nothing was corrupted: every stored case still reads, and the victim did not move.
            for (CaseSnapshot snapshot : merchant.unbinder.findCases(new CaseFilter(Optional.empty(), Optional.empty(),
                    Optional.empty(), 1000))) {
                assertNotNull(snapshot.state());
                assertTrue(snapshot.steps().size() > 0);
            }
            CaseSnapshot after = merchant.unbinder.find(victim.id()).orElseThrow();
            assertEquals(victim.version(), after.version());
            assertTrue(after.isWaitingFor(WaitReason.FEE_CONSENT));
        }
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("Bad-input campaign: " + total + " inputs, outcomes " + outcomes);
        assertEquals(INPUTS, total);
        assertTrue(outcomes.keySet().stream().noneMatch(key -> key.contains("UNCODED")), outcomes.toString());
        // Lone surrogates, duplicate keys, bytes that are not UTF-8 and other encodings are never taken.
        assertTrue(outcomes.keySet().stream().noneMatch(key -> key.contains(MUST_REFUSE) && key.endsWith("accepted")),
                outcomes.toString());
        assertTrue(outcomes.keySet().stream().anyMatch(key -> key.contains(MUST_REFUSE)), outcomes.toString());
    }

    static final String MUST_REFUSE = " (must refuse)";

    /** The outcome's label: inputs that no reading may accept are counted apart, to be checked. */
    private static String label(String what, int mutation) {
        boolean mustRefuse = mutation == 12 || mutation == 14 || mutation == 15 || mutation == 16;
        return what + (mustRefuse ? MUST_REFUSE : "");
    }

    private static void attempt(Map<String, Integer> outcomes, String what, Runnable action) {
        String outcome;
        try {
            action.run();
            outcome = "accepted";
        } catch (PosUnbindException e) {
            assertNotNull(e.errorCode());
            outcome = e.errorCode().code();
        } catch (RuntimeException e) {
            outcome = "UNCODED " + e.getClass().getName() + ": " + e.getMessage();
        }
        outcomes.merge(what + " -> " + outcome, 1, Integer::sum);
    }

    /** One random corruption of a valid JSON text. */
    static byte[] mutate(String json, Random random) {
        return mutate(json, random, random.nextInt(HOSTILE_MUTATIONS));
    }

    /** The given corruption of a valid JSON text; see the cases for what each number means. */
    static byte[] mutate(String json, Random random, int mutation) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        switch (mutation) {
            case 0: // truncated
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 1: // a broken UTF-8 sequence
                byte[] broken = bytes.clone();
                broken[random.nextInt(broken.length)] = (byte) (0x80 | random.nextInt(0x40));
                return broken;
            case 2: // random bytes flipped
                byte[] flipped = bytes.clone();
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                return flipped;
            case 3: // unknown enum values
                return json.replaceFirst("\"(PAYMENT_SYSTEM_CHANGE|BANK_CARD|APPROVED|TRAINING_MATERIAL|DEVICE)\"",
                        "\"" + garbage(random, 12) + "\"").getBytes(StandardCharsets.UTF_8);
            case 4: // a value replaced by null
                return replaceValue(json, random, "null");
            case 5: // a value of the wrong type
                String[] wrong = {"42", "[]", "{}", "true", "-1.5e300", "\"\""};
                return replaceValue(json, random, wrong[random.nextInt(wrong.length)]);
            case 6: // a huge string
                return replaceValue(json, random, "\"" + "9".repeat(70_000 + random.nextInt(10_000)) + "\"");
            case 7: // a huge number
                return replaceValue(json, random, "1" + "0".repeat(40 + random.nextInt(400)));
            case 8: // deep nesting
                int depth = 40 + random.nextInt(2000);
                return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
            case 9: // garbage
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                return junk;
            case 10: // an unknown field
                return json.replaceFirst("\\{", "{\"" + garbage(random, 8) + "\":1,").getBytes(StandardCharsets.UTF_8);
            case 11: // a field removed
                return json.replaceFirst("\"[a-zA-Z]+\":(\"[^\"]*\"|null|false|true),?", "")
                        .getBytes(StandardCharsets.UTF_8);
            case 12: // a lone surrogate escape in a string, the way "T\ud800X" became "T?X"
                return insertIntoString(json, random, LONE_SURROGATES[random.nextInt(LONE_SURROGATES.length)]);
            case 13: // an invisible or direction character in a string (a look-alike identifier)
                return insertIntoString(json, random, INVISIBLE[random.nextInt(INVISIBLE.length)]);
            case 14: // a key sent twice
                return duplicateKey(json, random);
            case 15: // bytes that are not UTF-8: an encoded surrogate, an overlong form, a stray continuation
                return insertBytes(json, random, NOT_UTF8[random.nextInt(NOT_UTF8.length)]);
            default: // another encoding altogether, which Jackson alone would guess from the zero bytes
                return json.getBytes(random.nextBoolean() ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
        }
    }

    /** How many kinds of corruption {@link #mutate} knows: the original twelve and five hostile ones. */
    static final int HOSTILE_MUTATIONS = 17;
    static final String[] LONE_SURROGATES = {"\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud83d"};
    static final String[] INVISIBLE = {"\u202e", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2066",
        "\\u202e", "\\u200b", "\\u0000", "\\u0085", "e\u0301", "\u3000", "\ue000"};
    static final byte[][] NOT_UTF8 = {{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}};

    /** The text with {@code inserted} placed inside one of its string values (escapes stay escapes). */
    private static byte[] insertIntoString(String json, Random random, String inserted) {
        java.util.List<Integer> insides = new java.util.ArrayList<>();
        java.util.regex.Matcher strings = java.util.regex.Pattern.compile(":\"([^\"]+)\"").matcher(json);
        while (strings.find()) {
            insides.add(strings.start(1) + random.nextInt(strings.end(1) - strings.start(1)));
        }
        int at = insides.get(random.nextInt(insides.size()));
        return (json.substring(0, at) + inserted + json.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    /** The text with one of its keys repeated, with another value, right after the first. */
    private static byte[] duplicateKey(String json, Random random) {
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("\"([a-zA-Z]+)\":(\"[^\"]*\"|null|false|true)")
                .matcher(json);
        while (keys.find()) {
            pairs.add(new int[] {keys.start(), keys.end(), keys.start(1), keys.end(1)});
        }
        int[] pair = pairs.get(random.nextInt(pairs.size()));
        String key = json.substring(pair[2], pair[3]);
        String copy = "\"" + key + "\":\"" + garbage(random, 6).replace("\\", "").replace("\"", "") + "\"";
        return (json.substring(0, pair[1]) + "," + copy + json.substring(pair[1])).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insertBytes(String json, Random random, byte[] inserted) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(bytes.length);
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }

    private static byte[] replaceValue(String json, Random random, String replacement) {
        java.util.regex.Matcher values = java.util.regex.Pattern.compile(":(\"[^\"]*\"|null|false|true|\\[\\])")
                .matcher(json);
        java.util.List<int[]> spans = new java.util.ArrayList<>();
        while (values.find()) {
            spans.add(new int[] {values.start(1), values.end(1)});
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return (json.substring(0, span[0]) + replacement + json.substring(span[1])).getBytes(StandardCharsets.UTF_8);
    }

    static String garbage(Random random, int length) {
        StringBuilder text = new StringBuilder();
        String alphabet = "ABCXYZ_-é中\u0000\u200b 0123456789{}\"\\";
        for (int i = 0; i < 1 + random.nextInt(length); i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
