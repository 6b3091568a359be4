package io.posunbind.spi;

/**
 * Why a {@link CallbackParser} refuses a notification in its provider's own format. Throw a
 * {@link ProviderException} with one of these from {@link CallbackParser#verify}; the engine answers the
 * sender with the matching callback code. A notification refused with one of them is not trusted, so
 * its id is not spent: the sender may send a corrected one with the same id.
 *
 * <p>Throw a retryable code (such as {@link StandardErrorCode#PROVIDER_UNAVAILABLE}, when the provider's
 * signing certificate cannot be fetched now) when the notification may verify later unchanged.
 *
 * @since SPI 2.0
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum NotificationErrorCode implements ErrorCode {
    /** Its signature does not match its content: forged, altered on the way, or signed with another key. */
    SIGNATURE_INVALID("PRV-NOTIFICATION-FORGED"),
    /** No key is configured for whoever it claims to come from (an account, a certificate serial). */
    UNKNOWN_KEY("PRV-NOTIFICATION-UNKNOWN-KEY"),
    /** A header or field is missing or out of shape, so it cannot be verified or read. */
    MALFORMED("PRV-NOTIFICATION-MALFORMED");

    private final String code;

    NotificationErrorCode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** Never: the same bytes are refused again. */
    @Override
    public boolean retryable() {
        return false;
    }
}
