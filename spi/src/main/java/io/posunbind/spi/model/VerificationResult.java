package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** The provider's verdict on an answer to a verification challenge. */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum VerificationResult {
    /** The answer is right: the guarded operation may go ahead. */
    VERIFIED,
    /** The answer is wrong; the merchant may try again while attempts remain. */
    WRONG_ANSWER,
    /** The challenge expired; a new one must be issued. */
    EXPIRED,
    /** Too many wrong answers; a new one must be issued, possibly after a wait. */
    LOCKED
}
