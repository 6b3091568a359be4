package io.posunbind.internal.http;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.StandardErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP status that answers each error code, one stable table for every route: a client (or a provider
 * posting a callback) learns from the status alone whether to fix its request (4xx), try again (409 with
 * {@code Retry-After}, 429, 503) or stop sending (2xx). The README's table is this one; a test walks every
 * {@link CoreErrorCode} and fails for a code missing here. Immutable and thread-safe.
 */
public final class HttpStatuses {

    static final int OK = 200;
    static final int BAD_REQUEST = 400;
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int CONFLICT = 409;
    static final int CONTENT_TOO_LARGE = 413;
    static final int UNSUPPORTED_MEDIA_TYPE = 415;
    static final int UNPROCESSABLE = 422;
    static final int TOO_MANY_REQUESTS = 429;
    static final int INTERNAL_ERROR = 500;
    static final int BAD_GATEWAY = 502;
    static final int UNAVAILABLE = 503;

    /** Every status an answer of the HTTP API may have; each has a title in both languages. */
    public static final Set<Integer> ANSWERED = Set.of(OK, 201, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND,
            METHOD_NOT_ALLOWED, CONFLICT, CONTENT_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNPROCESSABLE, TOO_MANY_REQUESTS,
            INTERNAL_ERROR, BAD_GATEWAY, UNAVAILABLE);

    private static final Map<CoreErrorCode, Integer> CORE = core();

    private HttpStatuses() {
    }

    /** The table for the engine's own codes: every constant, none by default. */
    public static Map<CoreErrorCode, Integer> coreTable() {
        return CORE;
    }

    /**
     * The status for any code: the engine's by the table, the SPI's by kind, a provider's own code (unknown
     * here) as a failed provider call, 502, or 503 when it may succeed later.
     */
    public static int statusOf(ErrorCode code) {
        if (code instanceof CoreErrorCode core) {
            // A code added to the enum but not to the table: the test fails; meanwhile answer as a fault.
            return CORE.getOrDefault(core, INTERNAL_ERROR);
        }
        if (code instanceof StandardErrorCode standard) {
            return switch (standard) {
                case RATE_LIMITED -> TOO_MANY_REQUESTS;
                case FUNDS_UNSETTLED, OPERATION_IN_PROGRESS -> CONFLICT;
                case PROVIDER_UNAVAILABLE -> UNAVAILABLE;
                case TERMINAL_NOT_FOUND, MERCHANT_NOT_FOUND, TERMINAL_ACTIVE, TERMINAL_STATE_CONFLICT,
                        MERCHANT_HAS_ACTIVE_TERMINALS, ACCOUNT_CHANGE_LIMIT, ACCOUNT_OWNERSHIP_MISMATCH,
                        INVALID_REQUEST, UNSUPPORTED_OPERATION -> UNPROCESSABLE;
                case IDEMPOTENCY_KEY_REUSED, NOT_AUTHORIZED, UNMAPPED_PROVIDER_ERROR -> BAD_GATEWAY;
            };
        }
        if (code instanceof NotificationErrorCode notification) {
            return notification == NotificationErrorCode.MALFORMED ? BAD_REQUEST : UNAUTHORIZED;
        }
        if (code instanceof SettingErrorCode) {
            return INTERNAL_ERROR;
        }
        return code.retryable() ? UNAVAILABLE : BAD_GATEWAY;
    }

    private static Map<CoreErrorCode, Integer> core() {
        EnumMap<CoreErrorCode, Integer> table = new EnumMap<>(CoreErrorCode.class);
        // What the client sent is malformed: fix it.
        put(table, BAD_REQUEST, CoreErrorCode.INVALID_REQUEST, CoreErrorCode.UNSAFE_CHARACTERS,
                CoreErrorCode.CALLBACK_MALFORMED);
        // Well-formed, but names what is not there to work with.
        put(table, UNPROCESSABLE, CoreErrorCode.PROVIDER_NOT_FOUND, CoreErrorCode.CAPABILITY_MISSING);
        put(table, NOT_FOUND, CoreErrorCode.CASE_NOT_FOUND, CoreErrorCode.HTTP_ROUTE_NOT_FOUND);
        put(table, METHOD_NOT_ALLOWED, CoreErrorCode.HTTP_METHOD_NOT_ALLOWED);
        put(table, CONTENT_TOO_LARGE, CoreErrorCode.HTTP_BODY_TOO_LARGE);
        put(table, UNSUPPORTED_MEDIA_TYPE, CoreErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE);
        // The second person of four eyes is missing: the same actor will never be let through.
        put(table, FORBIDDEN, CoreErrorCode.FOUR_EYES_VIOLATION);
        // A callback whose sender is not proven: forged, unknown key or format, outside its time window, or
        // signed by a provider other than the case's. The same bytes are refused again.
        put(table, UNAUTHORIZED, CoreErrorCode.CALLBACK_SIGNATURE_INVALID, CoreErrorCode.CALLBACK_UNKNOWN_SENDER,
                CoreErrorCode.CALLBACK_STALE, CoreErrorCode.CALLBACK_WRONG_PROVIDER);
        // Genuine callbacks with nothing (more) to do: 2xx so that the provider stops resending them.
        put(table, OK, CoreErrorCode.CALLBACK_REPLAYED, CoreErrorCode.CALLBACK_CONCERNS_NO_CASE);
        // The case is not where the command expects it: read the case again. CASE_BUSY, STALE_CASE_VERSION
        // and CANCEL_IN_FLIGHT are retryable and carry Retry-After. The outcome codes of closed cases
        // (rejected, cancelled, declined, expired...) are failure codes on snapshots rather than refusals; should
        // one be thrown at a command, it is because of the case's state too.
        put(table, CONFLICT, CoreErrorCode.DUPLICATE_CASE, CoreErrorCode.TERMINAL_ALREADY_IN_CASE,
                CoreErrorCode.COMMAND_NOT_EXPECTED, CoreErrorCode.CONSENT_DOES_NOT_MATCH_QUOTE,
                CoreErrorCode.CASE_BUSY, CoreErrorCode.STALE_CASE_VERSION, CoreErrorCode.CANCEL_IN_FLIGHT,
                CoreErrorCode.CANCEL_NEEDS_RECONCILE, CoreErrorCode.CALLBACK_APPLICATION_MISMATCH,
                CoreErrorCode.CALLBACK_AMBIGUOUS_REFERENCE, CoreErrorCode.INSTITUTION_REJECTED,
                CoreErrorCode.APPROVAL_EXPIRED, CoreErrorCode.INTERNAL_REVIEW_REJECTED, CoreErrorCode.CANCELLED,
                CoreErrorCode.CANCELLED_PARTIALLY, CoreErrorCode.FEES_DECLINED, CoreErrorCode.BINDING_STEP_NOT_DONE,
                CoreErrorCode.BACKUP_UNVERIFIED, CoreErrorCode.OPERATION_NOT_OFFERED,
                CoreErrorCode.OPERATION_NOT_APPLICABLE, CoreErrorCode.APPROVAL_NOT_NEEDED);
        // The provider kept failing.
        put(table, BAD_GATEWAY, CoreErrorCode.RETRIES_EXHAUSTED, CoreErrorCode.PROVIDER_DECLARATION_INVALID);
        // Not now, later: a store, the replay check or this instance is unavailable, or a callback may have
        // overtaken the commit of the reference it names. Retryable; answered with Retry-After.
        put(table, UNAVAILABLE, CoreErrorCode.STORE_UNAVAILABLE, CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE,
                CoreErrorCode.AUDIT_STORE_UNAVAILABLE, CoreErrorCode.AUDIT_SEQUENCE_TAKEN,
                CoreErrorCode.UNBINDER_CLOSED, CoreErrorCode.CALLBACK_UNKNOWN_REFERENCE);
        // The server's own data, keys, configuration or code: nothing the client can fix.
        put(table, INTERNAL_ERROR, CoreErrorCode.STORE_CORRUPT, CoreErrorCode.PROVIDER_AMBIGUOUS,
                CoreErrorCode.PROVIDER_INCOMPATIBLE, CoreErrorCode.PROVIDER_BROKEN, CoreErrorCode.DATA_KEY_UNKNOWN,
                CoreErrorCode.DATA_KEY_INVALID, CoreErrorCode.BACKUP_TAMPERED, CoreErrorCode.BACKUP_MALFORMED,
                CoreErrorCode.BACKUP_WRONG_CASE, CoreErrorCode.ENCRYPTED_FIELD_UNREADABLE,
                CoreErrorCode.AUDIT_KEY_UNAVAILABLE, CoreErrorCode.AUDIT_EVIDENCE_INVALID, CoreErrorCode.ENGINE_FAULT,
                CoreErrorCode.CALLBACK_KEY_INVALID, CoreErrorCode.SM4_KEY_INVALID, CoreErrorCode.SM4_FIELD_UNREADABLE);
        // Batches of fleet unbinds (POST /batches and below). A file that cannot be read as records is malformed
        // input (400); a batch whose rows were read but are wrong is refused as a whole with every row problem
        // (422, UNB-BATCH-INVALID, the rows' own codes in its errors). A row's code thrown alone is the client's
        // to fix, a batch or terminal taken is a conflict, and a store that keeps no batches is the server's
        // configuration.
        put(table, BAD_REQUEST, CoreErrorCode.BATCH_FIELD_MISSING,
                CoreErrorCode.BATCH_FIELD_INVALID, CoreErrorCode.BATCH_FILE_MALFORMED,
                CoreErrorCode.BATCH_ROW_NUMBER_TAKEN, CoreErrorCode.BATCH_DUPLICATE_TERMINAL);
        put(table, UNPROCESSABLE, CoreErrorCode.BATCH_INVALID, CoreErrorCode.BATCH_UNKNOWN_PROVIDER);
        put(table, NOT_FOUND, CoreErrorCode.BATCH_NOT_FOUND);
        put(table, CONFLICT, CoreErrorCode.BATCH_EXISTS, CoreErrorCode.BATCH_TERMINAL_IN_BATCH);
        put(table, INTERNAL_ERROR, CoreErrorCode.BATCHES_UNSUPPORTED);
        return Collections.unmodifiableMap(table);
    }

    private static void put(Map<CoreErrorCode, Integer> table, int status, CoreErrorCode... codes) {
        for (CoreErrorCode code : codes) {
            if (table.put(code, status) != null) {
                throw new IllegalStateException(code + " is in the status table twice");
            }
        }
    }
}
