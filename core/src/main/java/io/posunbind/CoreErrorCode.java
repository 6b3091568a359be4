package io.posunbind;

import io.posunbind.spi.ErrorCode;

/**
 * The engine's own stable error codes. Provider-side codes are in
 * {@link io.posunbind.spi.StandardErrorCode}; rule violations carry their own codes (see
 * {@link io.posunbind.rules.RuleCode}).
 */
public enum CoreErrorCode implements ErrorCode {
    /** A request or command was malformed: a field is missing, too long or of the wrong form. */
    INVALID_REQUEST("UNB-INVALID-REQUEST", false),
    /** No case has the given id. */
    CASE_NOT_FOUND("UNB-CASE-NOT-FOUND", false),
    /** A case with this id exists already. */
    DUPLICATE_CASE("UNB-DUPLICATE-CASE", false),
    /** Another open case already unbinds this terminal. */
    TERMINAL_ALREADY_IN_CASE("UNB-TERMINAL-IN-CASE", false),
    /** The command does not fit the case's current state (for example consent when none is asked). */
    COMMAND_NOT_EXPECTED("UNB-COMMAND-NOT-EXPECTED", false),
    /** A fee consent names another quote or total than the one the merchant is asked to agree to. */
    CONSENT_DOES_NOT_MATCH_QUOTE("UNB-CONSENT-MISMATCH", false),
    /** The institution rejected the unbind application. */
    INSTITUTION_REJECTED("UNB-INSTITUTION-REJECTED", false),
    /** The backup of the old terminal could not be verified after it was written. */
    BACKUP_UNVERIFIED("UNB-BACKUP-UNVERIFIED", false),
    /** Someone else changed the case since it was read; read it again and retry. */
    STALE_CASE_VERSION("UNB-STALE-VERSION", true),
    /** The store could not be reached or failed; retry later. */
    STORE_UNAVAILABLE("UNB-STORE-UNAVAILABLE", true),
    /** The stored case document could not be read. */
    STORE_CORRUPT("UNB-STORE-CORRUPT", false),
    /** No provider with the requested id is on the class path. */
    PROVIDER_NOT_FOUND("UNB-PROVIDER-NOT-FOUND", false),
    /** Several providers claim the same id. */
    PROVIDER_AMBIGUOUS("UNB-PROVIDER-AMBIGUOUS", false),
    /** A provider was built against an incompatible SPI version. */
    PROVIDER_INCOMPATIBLE("UNB-PROVIDER-INCOMPATIBLE", false),
    /** The case asks for a binding the provider cannot unbind. */
    CAPABILITY_MISSING("UNB-CAPABILITY-MISSING", false),
    /** A provider operation kept failing until the retry budget ran out. */
    RETRIES_EXHAUSTED("UNB-RETRIES-EXHAUSTED", false),
    /** The audit store could not be reached or failed; the audit record was not written. Retry later. */
    AUDIT_STORE_UNAVAILABLE("UNB-AUDIT-STORE-UNAVAILABLE", true),
    /** Another writer stored an audit record or checkpoint with this sequence number first; re-read the head. */
    AUDIT_SEQUENCE_TAKEN("UNB-AUDIT-SEQUENCE-TAKEN", true),
    /** The audit signing key, or a key file, is missing, unreadable or not an Ed25519 key. */
    AUDIT_KEY_UNAVAILABLE("UNB-AUDIT-KEY-UNAVAILABLE", false),
    /** An evidence bundle is not valid JSON of the expected format. */
    AUDIT_EVIDENCE_INVALID("UNB-AUDIT-EVIDENCE-INVALID", false);

    private final String code;
    private final boolean retryable;

    CoreErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
