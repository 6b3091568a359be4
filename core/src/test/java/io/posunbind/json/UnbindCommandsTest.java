package io.posunbind.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.Actor;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.InvalidRequestException;
import io.posunbind.spi.model.Money;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An HTTP front end takes every command a case needs as JSON: consent, decline, cancel, retry, a
 * verification answer and an internal review. Each reads back what a client wrote, and each malformed
 * body is a coded refusal naming the field.
 */
class UnbindCommandsTest {

    static final Actor MERCHANT = Actor.merchant("merchant:898310058120001");
    static final Actor OPERATOR = Actor.operator("operator:li.na");

    // The README shows these same bodies; keep them in step.
    static final String CONSENT = """
            {"quoteId":"Q-2026-0001","total":{"minorUnits":26800,"currency":"CNY"},
             "actor":{"id":"merchant:898310058120001","role":"merchant"}}""";
    static final String DECLINE = """
            {"actor":{"id":"merchant:898310058120001","role":"merchant"}}""";
    static final String CANCEL = """
            {"actor":{"id":"operator:li.na","role":"operator"},"reason":"商户改变主意，继续使用原POS机"}""";
    static final String RETRY = """
            {"actor":{"id":"operator:li.na","role":"operator"},"reason":"服务商已修复接口，重试"}""";
    static final String ANSWER = """
            {"actor":{"id":"merchant:898310058120001","role":"merchant"},"answer":"246810"}""";
    static final String REVIEW = """
            {"reviewer":{"id":"operator:wang.fang","role":"reviewer"},"verdict":"APPROVE","note":"材料齐全"}""";

    @Test
    void everyCommandIsReadFromItsJson() {
        FeeConsentCommand consent = UnbindJson.readCommand(CONSENT, FeeConsentCommand.class);
        Instant now = Instant.parse("2026-11-25T03:00:00Z");
        assertEquals(new FeeConsent("Q-2026-0001", Money.cny(26_800), MERCHANT, now), consent.toConsent(now));
        assertEquals(new DeclineFeesCommand(MERCHANT), UnbindJson.readCommand(DECLINE, DeclineFeesCommand.class));
        assertEquals(new CancelCommand(OPERATOR, "商户改变主意，继续使用原POS机"),
                UnbindJson.readCommand(CANCEL, CancelCommand.class));
        assertEquals(new RetryCommand(OPERATOR, "服务商已修复接口，重试"),
                UnbindJson.readCommand(RETRY, RetryCommand.class));
        assertEquals(new VerificationAnswerCommand(MERCHANT, "246810"),
                UnbindJson.readCommand(ANSWER, VerificationAnswerCommand.class));
        InternalReviewCommand review = UnbindJson.readCommand(REVIEW, InternalReviewCommand.class);
        assertTrue(review.approves());
        assertEquals(new Actor("operator:wang.fang", "reviewer"), review.reviewer());
    }

    @Test
    void everyCommandSurvivesARoundTripThroughAHostMapper() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(UnbindJson.module());
        List<UnbindCommand> commands = List.of(
                new FeeConsentCommand("Q-1", Money.cny(100), MERCHANT), new DeclineFeesCommand(MERCHANT),
                new CancelCommand(OPERATOR, "no longer needed"), new RetryCommand(OPERATOR, "provider fixed"),
                new VerificationAnswerCommand(MERCHANT, "123456"),
                new InternalReviewCommand(OPERATOR, InternalReviewCommand.Verdict.REJECT, ""));
        for (UnbindCommand command : commands) {
            String json = mapper.writeValueAsString(command);
            assertEquals(command, UnbindJson.readCommand(json, command.getClass()), json);
        }
    }

    @Test
    void malformedCommandsAreRefusedWithACodeAndTheirField() {
        assertRefused("{\"actor\":{\"id\":\"operator:li.na\",\"role\":\"operator\"}}", CancelCommand.class,
                CoreErrorCode.INVALID_REQUEST, "reason");
        assertRefused("{\"actor\":{\"id\":\"operator:li.na\",\"role\":\"operator\"},\"reason\":\"  \"}",
                RetryCommand.class, CoreErrorCode.INVALID_REQUEST, "reason");
        assertRefused("{\"reason\":\"x\"}", CancelCommand.class, CoreErrorCode.INVALID_REQUEST, "actor");
        InvalidRequestException maybe = assertRefused(REVIEW.replace("APPROVE", "MAYBE"), InternalReviewCommand.class,
                CoreErrorCode.INVALID_REQUEST, "verdict");
        // The README quotes this answer.
        assertEquals("is not one of the allowed values: APPROVE, REJECT", maybe.violations().get(0).message());
        assertRefused(CONSENT.replace("\"CNY\"", "\"XYZ\""), FeeConsentCommand.class, CoreErrorCode.INVALID_REQUEST,
                "total.currency");
        assertRefused(CONSENT.replace("Q-2026-0001", "Q-2026\\u200b-0001"), FeeConsentCommand.class,
                CoreErrorCode.UNSAFE_CHARACTERS, "quoteId");
        assertRefused(DECLINE.replace("merchant:898310058120001", "merchant:\\u202e1000"), DeclineFeesCommand.class,
                CoreErrorCode.UNSAFE_CHARACTERS, "actor.id");
        assertRefused(ANSWER.replace("246810", "x".repeat(65)), VerificationAnswerCommand.class,
                CoreErrorCode.INVALID_REQUEST, "answer");
        assertRefused(CANCEL.replace("\"reason\"", "\"reason\":\"a\",\"reason\""), CancelCommand.class,
                CoreErrorCode.INVALID_REQUEST, "reason");
    }

    @Test
    void theAnswerNeverAppearsInTextAndCardNumbersInNotesAreMasked() {
        assertFalse(new VerificationAnswerCommand(MERCHANT, "246810").toString().contains("246810"));
        CancelCommand cancel = new CancelCommand(OPERATOR, "refund to 6222021001123456789 please");
        assertFalse(cancel.reason().contains("6222021001123456789"), cancel.reason());
        assertTrue(cancel.reason().endsWith("6789 please"), cancel.reason());
    }

    private static InvalidRequestException assertRefused(String json, Class<? extends UnbindCommand> type,
            CoreErrorCode code, String field) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> UnbindJson.readCommand(json, type), json);
        assertEquals(code, refused.errorCode(), refused.getMessage());
        assertEquals(field, refused.violations().get(0).field(), refused.violations().toString());
        return refused;
    }
}
