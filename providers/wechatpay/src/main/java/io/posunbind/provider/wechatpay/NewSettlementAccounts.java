package io.posunbind.provider.wechatpay;

import io.posunbind.spi.API;
import java.util.Optional;

/**
 * Where the WeChat Pay adapter learns which bank account a sub-merchant's settlement moves to. The engine's
 * account step hands an adapter the account to unbind only; WeChat Pay has no unbind, only 修改结算账户 to a
 * named new account, so the host supplies it (from the merchant's change form, for example).
 *
 * <pre>{@code
 * NewSettlementAccounts next = subMerchantId -> forms.newAccountOf(subMerchantId);
 * PaymentProvider wechatPay = new WechatPayProvider(WechatPaySettings.from(settings), next);
 * Unbinder unbinder = Unbinder.builder().store(store).provider(wechatPay).build();
 * }</pre>
 *
 * <p>Called from the engine's worker threads: implementations must be thread-safe, and should answer the same
 * account for the same sub-merchant while its change is under way (a lookup compares against it).
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
@FunctionalInterface
public interface NewSettlementAccounts {

    /** A source that knows no new account: every account change is answered as not applicable. */
    static NewSettlementAccounts none() {
        return subMerchantId -> Optional.empty();
    }

    /**
     * The account the sub-merchant's settlement moves to.
     *
     * @param subMerchantId the sub-merchant ({@code sub_mchid}, the case's merchant number)
     * @return the new account, or empty when the host has none (the change is then not applicable)
     */
    Optional<NewSettlementAccount> newAccountFor(String subMerchantId);
}
