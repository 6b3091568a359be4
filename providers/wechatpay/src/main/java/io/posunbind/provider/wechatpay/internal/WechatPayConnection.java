package io.posunbind.provider.wechatpay.internal;

import io.posunbind.provider.wechatpay.NewSettlementAccounts;
import io.posunbind.provider.wechatpay.WechatPaySettings;
import io.posunbind.spi.API;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.CallbackParser;

/**
 * The adapters of one WeChat Pay provider over one HTTP client. Public for the provider only: not an API,
 * it may change without notice. Building it parses the keys and does no network work.
 */
@API(status = API.Status.INTERNAL, since = "2.0")
public final class WechatPayConnection implements AutoCloseable {

    private final WechatPayHttp http;
    private final SettlementAccountAdapter accounts;
    private final WechatPayNotifications notifications;

    /**
     * Parses the keys and prepares the client.
     *
     * @throws io.posunbind.spi.InvalidSettingException when a key does not parse
     */
    public WechatPayConnection(WechatPaySettings settings, NewSettlementAccounts newAccounts) {
        this.http = new WechatPayHttp(settings);
        this.accounts = new SettlementAccountAdapter(http, newAccounts, settings.pollInterval());
        this.notifications = new WechatPayNotifications(http.config(), settings.wechatPayPublicKeyId());
    }

    /** The settlement-account adapter. */
    public AccountUnbindAdapter accounts() {
        return accounts;
    }

    /** The notification verifier. */
    public CallbackParser notifications() {
        return notifications;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "WechatPayConnection";
    }
}
