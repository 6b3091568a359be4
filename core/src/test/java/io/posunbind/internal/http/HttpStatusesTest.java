package io.posunbind.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.i18n.Messages;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.StandardErrorCode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every error code a client can meet has one HTTP status, chosen so that the status alone tells a client
 * (or a provider posting a callback) what to do: fix the request, read the case again, try later, stop.
 */
class HttpStatusesTest {

    private static final Set<Integer> TRY_AGAIN = Set.of(409, 429, 503);

    @Test
    void everyEngineCodeHasAStatusOfItsOwnInTheTable() {
        List<CoreErrorCode> missing = new ArrayList<>(EnumSet.allOf(CoreErrorCode.class));
        missing.removeAll(HttpStatuses.coreTable().keySet());
        assertEquals(List.of(), missing, "add these codes to HttpStatuses (and the README's table)");
    }

    @Test
    void retryableCodesAreAnsweredWithAStatusThatSaysTryAgainAndNoOtherCodeIs503() {
        for (CoreErrorCode code : CoreErrorCode.values()) {
            int status = HttpStatuses.statusOf(code);
            if (code.retryable()) {
                assertTrue(TRY_AGAIN.contains(status), code + " is retryable but answered " + status);
            } else {
                assertTrue(status != 503 && status != 429, code + " is not retryable but answered " + status);
            }
        }
    }

    @Test
    void theStatusesTheIssueNamesAreTheOnesAnswered() {
        assertEquals(404, HttpStatuses.statusOf(CoreErrorCode.CASE_NOT_FOUND));
        assertEquals(409, HttpStatuses.statusOf(CoreErrorCode.COMMAND_NOT_EXPECTED));
        assertEquals(409, HttpStatuses.statusOf(CoreErrorCode.STALE_CASE_VERSION));
        assertEquals(400, HttpStatuses.statusOf(CoreErrorCode.INVALID_REQUEST));
        assertEquals(400, HttpStatuses.statusOf(CoreErrorCode.UNSAFE_CHARACTERS));
        assertEquals(422, HttpStatuses.statusOf(CoreErrorCode.CAPABILITY_MISSING));
        assertEquals(413, HttpStatuses.statusOf(CoreErrorCode.HTTP_BODY_TOO_LARGE));
        assertEquals(415, HttpStatuses.statusOf(CoreErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE));
        assertEquals(405, HttpStatuses.statusOf(CoreErrorCode.HTTP_METHOD_NOT_ALLOWED));
        assertEquals(503, HttpStatuses.statusOf(CoreErrorCode.UNBINDER_CLOSED));
        assertEquals(403, HttpStatuses.statusOf(CoreErrorCode.FOUR_EYES_VIOLATION));
        assertEquals(429, HttpStatuses.statusOf(StandardErrorCode.RATE_LIMITED));
        assertEquals(503, HttpStatuses.statusOf(StandardErrorCode.PROVIDER_UNAVAILABLE));
    }

    @Test
    void callbackRefusalsTellTheProviderWhetherToSendAgain() {
        // Stop sending: genuine and done, or genuine and about nothing of ours.
        assertEquals(200, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_REPLAYED));
        assertEquals(200, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_CONCERNS_NO_CASE));
        // The sender is not proven: the same bytes fail again.
        for (ErrorCode code : List.of(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, CoreErrorCode.CALLBACK_UNKNOWN_SENDER,
                CoreErrorCode.CALLBACK_STALE, CoreErrorCode.CALLBACK_WRONG_PROVIDER,
                NotificationErrorCode.SIGNATURE_INVALID, NotificationErrorCode.UNKNOWN_KEY)) {
            assertEquals(401, HttpStatuses.statusOf(code), code.code());
        }
        assertEquals(400, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_MALFORMED));
        assertEquals(400, HttpStatuses.statusOf(NotificationErrorCode.MALFORMED));
        assertEquals(409, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_APPLICATION_MISMATCH));
        assertEquals(409, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_AMBIGUOUS_REFERENCE));
        // Send again: it may have overtaken the case, or a store was away.
        assertEquals(503, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE));
        assertEquals(503, HttpStatuses.statusOf(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE));
    }

    @Test
    void aProvidersOwnCodeIsAFailedProviderCallOrAnUnavailableOne() {
        ErrorCode own = new ErrorCode() {
            @Override
            public String code() {
                return "ACME-42";
            }

            @Override
            public boolean retryable() {
                return false;
            }
        };
        assertEquals(502, HttpStatuses.statusOf(own));
    }

    @Test
    void everyStatusTheTableAnswersHasATitleInBothLanguages() {
        assertTrue(HttpStatuses.ANSWERED.containsAll(HttpStatuses.coreTable().values()));
        for (int status : HttpStatuses.ANSWERED) {
            for (Locale locale : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
                assertTrue(Messages.forLocale(locale).find("http.title." + status).isPresent(),
                        "http.title." + status + " in " + locale);
            }
        }
    }
}
