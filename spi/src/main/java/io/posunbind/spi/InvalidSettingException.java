package io.posunbind.spi;

import java.util.Objects;

/**
 * A provider's setting is missing or malformed. The message and {@link #key()} name the setting and the
 * form it needs, never its value, which may be a credential.
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class InvalidSettingException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * Creates the exception.
     *
     * @param code    {@link SettingErrorCode#SETTING_MISSING} or {@link SettingErrorCode#SETTING_INVALID}
     * @param key     the setting's key
     * @param message what is wrong and what to do, without the value
     */
    public InvalidSettingException(SettingErrorCode code, String key, String message) {
        super(code, message);
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The key of the setting at fault: {@code "base-uri"}. */
    public String key() {
        return key;
    }
}
