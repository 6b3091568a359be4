/**
 * posunbind adapters for the WeChat Pay for service providers (微信支付服务商: settlement account of a sub-merchant).
 *
 * <p>Public: the factory registered for {@code java.util.ServiceLoader} and its settings. Everything under
 * {@code internal} may change without notice.
 */
package io.posunbind.provider.wechatpay;
