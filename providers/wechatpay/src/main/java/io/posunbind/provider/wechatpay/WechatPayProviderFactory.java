package io.posunbind.provider.wechatpay;

import io.posunbind.spi.API;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SpiVersion;

/**
 * Creates the {@link WechatPayProvider} from the host's settings (keys in {@link WechatPaySettings}); found by
 * {@link java.util.ServiceLoader}. A provider created from settings alone knows no new settlement account, so
 * it reads accounts and verifies notifications but answers account changes as not applicable; a host that
 * changes accounts builds {@code new WechatPayProvider(settings, newAccounts)} and hands it to the engine.
 *
 * <p>Stateless and thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class WechatPayProviderFactory implements PaymentProviderFactory {

    /** For {@link java.util.ServiceLoader}. */
    public WechatPayProviderFactory() {
    }

    @Override
    public String id() {
        return WechatPayProvider.ID;
    }

    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public PaymentProvider create(ProviderSettings settings) {
        return new WechatPayProvider(WechatPaySettings.from(settings));
    }
}
