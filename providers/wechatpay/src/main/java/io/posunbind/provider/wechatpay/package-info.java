/**
 * posunbind adapters for the WeChat Pay for service providers (微信支付服务商: settlement account of a
 * sub-merchant), on the official {@code wechatpay-java} library.
 *
 * <p>Public: the factory registered for {@code java.util.ServiceLoader}, the provider, its settings, the
 * source of new settlement accounts and the adapter's own error codes. Everything under {@code internal} may
 * change without notice. Parameters and returns are non-null unless typed {@code Optional}.
 */
package io.posunbind.provider.wechatpay;
