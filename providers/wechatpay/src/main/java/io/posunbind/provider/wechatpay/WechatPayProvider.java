package io.posunbind.provider.wechatpay;

import io.posunbind.provider.wechatpay.internal.WechatPayConnection;
import io.posunbind.spi.API;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.SpiVersion;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * WeChat Pay for service providers (微信支付服务商), id {@code "wechatpay"}: the settlement account of a
 * sub-merchant (特约商户), on the official {@code wechatpay-java} library. It reads the bound account
 * (查询结算账户), replaces it with the account {@link NewSettlementAccounts} names (修改结算账户, reviewed by
 * WeChat Pay: pending with the {@code application_no}, polled through 查询结算账户修改申请状态), and verifies
 * and decrypts WeChat Pay's notifications with the library.
 *
 * <p>Not offered, because WeChat Pay's API has no such thing: device binding (WeChat Pay manages no POS
 * terminals), merchant info (a sub-merchant's registered information cannot be read or changed by
 * sub-merchant number through APIv3), applications, fees, terminal set-up, transfers and verification. An
 * unbind case at WeChat Pay therefore needs a terminal-management provider beside it (see the README).
 *
 * <p>WeChat Pay knows no idempotency key for the change: {@link #honoursIdempotencyKeys()} is false, and the
 * engine looks the change up (by application number, or by the bound account) before it sends it again.
 *
 * <p>Thread-safe. Creating it parses the keys and opens nothing; {@link #close()} frees the HTTP client's
 * connections and threads.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class WechatPayProvider implements PaymentProvider {

    /** The provider id. */
    public static final String ID = "wechatpay";

    private final WechatPayConnection connection;
    private final ProviderLimits callLimits;

    /**
     * A provider that reads accounts and verifies notifications, but answers every account change as not
     * applicable: with settings alone it knows no new account to move the settlement to.
     *
     * @throws io.posunbind.spi.InvalidSettingException when a key does not parse
     */
    public WechatPayProvider(WechatPaySettings settings) {
        this(settings, NewSettlementAccounts.none());
    }

    /**
     * A provider that moves a sub-merchant's settlement to the account {@code newAccounts} names.
     *
     * @throws io.posunbind.spi.InvalidSettingException when a key does not parse
     */
    public WechatPayProvider(WechatPaySettings settings, NewSettlementAccounts newAccounts) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(newAccounts, "newAccounts");
        this.connection = new WechatPayConnection(settings, newAccounts);
        this.callLimits = settings.callLimits();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String displayName() {
        return "WeChat Pay for service providers (微信支付服务商)";
    }

    @Override
    public Optional<AccountUnbindAdapter> accountAdapter() {
        return Optional.of(connection.accounts());
    }

    @Override
    public Optional<CallbackParser> callbackParser() {
        return Optional.of(connection.notifications());
    }

    /** The change is the only mutating operation WeChat Pay offers here. */
    @Override
    public Set<OperationKind> supportedOperations() {
        return Set.of(OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
    }

    /** WeChat Pay reviews the change itself, as the operation's pending phase; no unbind application. */
    @Override
    public InstitutionApproval institutionApproval() {
        return InstitutionApproval.NOT_NEEDED;
    }

    /** WeChat Pay's APIv3 has no idempotency key: the engine looks up before every resend. */
    @Override
    public boolean honoursIdempotencyKeys() {
        return false;
    }

    /** {@link WechatPaySettings#DEFAULT_LIMITS}, or the figures the host set (see {@link WechatPaySettings}). */
    @Override
    public ProviderLimits callLimits() {
        return callLimits;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** The id only: never a key or a merchant's account. */
    @Override
    public String toString() {
        return "WechatPayProvider[" + ID + "]";
    }
}
