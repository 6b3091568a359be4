package io.posunbind.spi;

/**
 * Why a provider could not be created from its {@link ProviderSettings}. An operator fixes the host's
 * configuration and restarts; retrying unchanged does not help.
 */
@API(status = API.Status.STABLE, since = "2.0")
public enum SettingErrorCode implements ErrorCode {
    /** A required setting is absent or blank. */
    SETTING_MISSING("PRV-SETTING-MISSING"),
    /** A setting is present but not of the form its provider needs (a number, a duration, a URI, ...). */
    SETTING_INVALID("PRV-SETTING-INVALID");

    private final String code;

    SettingErrorCode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
