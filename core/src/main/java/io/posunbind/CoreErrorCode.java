package io.posunbind;

import io.posunbind.rules.RuleCode;
import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.StandardErrorCode;

/**
 * The engine's own stable error codes. Provider-side codes are in
 * {@link StandardErrorCode}; rule violations carry their own codes (see
 * {@link RuleCode}).
 */
@API(status = API.Status.STABLE, since = "0.1")
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
    /** Another engine instance works on the case right now; retry shortly. */
    CASE_BUSY("UNB-CASE-BUSY", true),
    /** The institution did not decide within the approval deadline; the application lapsed. */
    APPROVAL_EXPIRED("UNB-APPROVAL-EXPIRED", false),
    /** The reviewer is the requester: an internal approval needs a second person (four eyes). */
    FOUR_EYES_VIOLATION("UNB-FOUR-EYES", false),
    /** The platform's own reviewer rejected the unbind. */
    INTERNAL_REVIEW_REJECTED("UNB-INTERNAL-REJECTED", false),
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
    /** A backup or an encrypted field names a data key that the key provider does not know (any more). */
    DATA_KEY_UNKNOWN("UNB-KEY-UNKNOWN", false),
    /** A data key cannot be loaded: missing, unreadable, not base64 of 32 bytes, or readable by everyone. */
    DATA_KEY_INVALID("UNB-KEY-INVALID", false),
    /** A backup fails authentication: a chunk, the chunks' order or the manifest was changed. */
    BACKUP_TAMPERED("UNB-BACKUP-TAMPERED", false),
    /** A backup is not a well-formed sealed backup (truncated, missing fields, unknown format version). */
    BACKUP_MALFORMED("UNB-BACKUP-MALFORMED", false),
    /** A backup was sealed for another case than the one it is opened for. */
    BACKUP_WRONG_CASE("UNB-BACKUP-WRONG-CASE", false),
    /** An encrypted card, account, identity or phone number in a stored document cannot be decrypted. */
    ENCRYPTED_FIELD_UNREADABLE("UNB-FIELD-UNREADABLE", false),
    /** A callback's signature does not match its content: forged or altered on the way. */
    CALLBACK_SIGNATURE_INVALID("UNB-CALLBACK-FORGED", false),
    /** A callback names a provider, or a signature scheme for it, that has no key configured. */
    CALLBACK_UNKNOWN_SENDER("UNB-CALLBACK-UNKNOWN-SENDER", false),
    /** A callback's timestamp lies outside the accepted window, too old or in the future. */
    CALLBACK_STALE("UNB-CALLBACK-STALE", false),
    /** A callback's nonce was seen before: a replay. */
    CALLBACK_REPLAYED("UNB-CALLBACK-REPLAYED", false),
    /** A callback is incomplete or malformed: a missing field, a body over 64 KiB, a signature not in base64. */
    CALLBACK_MALFORMED("UNB-CALLBACK-MALFORMED", false),
    /** The nonce store could not check for a replay (full or failing); the callback was refused, send it later. */
    CALLBACK_REPLAY_CHECK_UNAVAILABLE("UNB-CALLBACK-NONCE-STORE-UNAVAILABLE", true),
    /** The audit store could not be reached or failed; the audit record was not written. Retry later. */
    AUDIT_STORE_UNAVAILABLE("UNB-AUDIT-STORE-UNAVAILABLE", true),
    /** Another writer stored an audit record or checkpoint with this sequence number first; re-read the head. */
    AUDIT_SEQUENCE_TAKEN("UNB-AUDIT-SEQUENCE-TAKEN", true),
    /** The audit signing key, or a key file, is missing, unreadable or not an Ed25519 key. */
    AUDIT_KEY_UNAVAILABLE("UNB-AUDIT-KEY-UNAVAILABLE", false),
    /** An evidence bundle is not valid JSON of the expected format. */
    AUDIT_EVIDENCE_INVALID("UNB-AUDIT-EVIDENCE-INVALID", false),
    /** A callback was signed by another provider than the one carrying out the case it names; nothing changed. */
    CALLBACK_WRONG_PROVIDER("UNB-CALLBACK-WRONG-PROVIDER", false),
    /** A callback's decision is for another application than the case's, or the case has no application yet. */
    CALLBACK_APPLICATION_MISMATCH("UNB-CALLBACK-APPLICATION-MISMATCH", false),

    // --- Cancel, engine faults and shutdown (issue 9, items 8 to 10) ---
    /**
     * A cancel was refused because a provider operation of the case is in flight: sent, and its outcome
     * not known yet (pending at the provider, or a call that timed out). The message says what was done
     * and which operation is in flight; cancel again once it has finished. The case goes on meanwhile.
     */
    CANCEL_IN_FLIGHT("UNB-CANCEL-IN-FLIGHT", true),
    /**
     * The case was cancelled after it had changed something at the provider; the failure message lists
     * what was done and what was not carried out. An operator must undo the changes or finish by hand.
     */
    CANCELLED_PARTIALLY("UNB-CANCELLED-PARTIALLY", false),
    /**
     * The engine itself failed (a bug in posunbind, not the provider's adapter); the case stopped. It is
     * logged at ERROR with its stack trace; an operator may retry the case once the cause is fixed.
     */
    ENGINE_FAULT("UNB-ENGINE-FAULT", false),
    /** The unbinder is closed or closing and takes no more work; send the command to a running instance. */
    UNBINDER_CLOSED("UNB-CLOSED", true),

    // --- Coded refusals and look-alike identifiers (issue 9, items 5 and 6) ---
    /** A person cancelled the case before it completed; the case's history says who, why and what was done. */
    CANCELLED("UNB-CANCELLED", false),
    /** The merchant declined the fee quote; the case was cancelled before any fee was incurred. */
    FEES_DECLINED("UNB-FEES-DECLINED", false),
    /**
     * An identifier or text holds characters that can make two different values look alike or hide text:
     * control, zero-width, direction (bidi) or other invisible characters, or unpaired surrogates.
     */
    UNSAFE_CHARACTERS("UNB-UNSAFE-CHARACTERS", false),

    // --- Steps that do not apply at a provider (issue 10, item 2) ---
    /** Not an error: the provider does not offer the step's operation, so the step was skipped. */
    OPERATION_NOT_OFFERED("UNB-OPERATION-NOT-OFFERED", false),
    /** Not an error: the provider answered that the operation does not apply; the step was skipped. */
    OPERATION_NOT_APPLICABLE("UNB-OPERATION-NOT-APPLICABLE", false),
    /** Not an error: the provider declares that no institution approves its unbinds; the step was skipped. */
    APPROVAL_NOT_NEEDED("UNB-APPROVAL-NOT-NEEDED", false),

    // --- Provider-native callbacks (issue 10, item 4) ---
    /**
     * A verified callback names its case only by a provider reference (or the engine's idempotency key), and
     * no open case of the sending provider waits for it: refused for now, its nonce unspent, since it may
     * have overtaken the commit of the answer that brought the reference. Answer 503 so the provider retries.
     */
    CALLBACK_UNKNOWN_REFERENCE("UNB-CALLBACK-UNKNOWN-REFERENCE", true),

    // --- Review of issue 9 ---
    /**
     * A failed case cannot be cancelled yet: the outcome of an operation it sent is not known, and a failed
     * case does not go on by itself to learn it. Retry the case so it reconciles the operation, then cancel.
     */
    CANCEL_NEEDS_RECONCILE("UNB-CANCEL-NEEDS-RECONCILE", false),

    // --- Review of issue 10: the test kit and provider loading ---
    /**
     * A payment provider or its factory failed while the engine loaded it: telling its id or SPI version
     * threw or answered nothing, or the factory threw or created nothing. A discovered one nobody configured
     * is left out; one the host configured or registered fails the engine's start.
     */
    PROVIDER_BROKEN("UNB-PROVIDER-BROKEN", false),

    // --- Review of issue 10 (engine) ---
    /**
     * A step that undoes or makes a binding, or sets up the replacement, was not carried out (a case
     * stored by an older engine skipped it): the case cannot complete. Carry it out, then retry or cancel.
     */
    BINDING_STEP_NOT_DONE("UNB-BINDING-STEP-NOT-DONE", false),
    /**
     * The provider's declarations (supported operations, institution approval, document checklist) could
     * not be read: the provider's code threw or answered null. Fix the adapter; nothing was opened.
     */
    PROVIDER_DECLARATION_INVALID("UNB-PROVIDER-DECLARATION-INVALID", false),
    /**
     * A verified callback names its case only by a provider reference, and several open cases of the
     * sending provider wait for that reference: refused for good, no case touched.
     */
    CALLBACK_AMBIGUOUS_REFERENCE("UNB-CALLBACK-AMBIGUOUS-REFERENCE", false),

    // --- Issue 11: 国密 (SM2, SM3, SM4) ---
    /**
     * A key given to sign or verify callbacks cannot be used: not PEM, not the scheme's kind of key, not on
     * the SM2 curve sm2p256v1, or a user id out of shape. Configuration, not a callback: fix the key.
     */
    CALLBACK_KEY_INVALID("UNB-CALLBACK-KEY-INVALID", false),
    /** An SM4 key is not 16 bytes, or not hex or base64 of 16 bytes. */
    SM4_KEY_INVALID("UNB-SM4-KEY-INVALID", false),
    /** An SM4-encrypted field cannot be decrypted: another key, another field, changed, or malformed. */
    SM4_FIELD_UNREADABLE("UNB-SM4-FIELD-UNREADABLE", false),
    /**
     * A provider's notification verified, but concerns no case (an event the provider sends to every
     * endpoint). Not an error for the sender: answer it 200 so that it stops resending; it was audited and
     * its id spent.
     */
    CALLBACK_CONCERNS_NO_CASE("UNB-CALLBACK-CONCERNS-NO-CASE", false),

    // --- Issue 13: the HTTP API (io.posunbind.http) ---
    /** No route of the HTTP API has this path (or the routes of its kind are switched off). */
    HTTP_ROUTE_NOT_FOUND("UNB-HTTP-NOT-FOUND", false),
    /** The path exists in the HTTP API, but not with this method; the answer's {@code Allow} header lists them. */
    HTTP_METHOD_NOT_ALLOWED("UNB-HTTP-METHOD-NOT-ALLOWED", false),
    /** The request's body is larger than the HTTP API accepts; nothing of it was read. */
    HTTP_BODY_TOO_LARGE("UNB-HTTP-BODY-TOO-LARGE", false),
    /** The request's body is not {@code application/json} in UTF-8. */
    HTTP_UNSUPPORTED_MEDIA_TYPE("UNB-HTTP-UNSUPPORTED-MEDIA-TYPE", false);

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
