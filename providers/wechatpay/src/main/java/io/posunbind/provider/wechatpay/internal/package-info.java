/**
 * The WeChat Pay adapter's workings: the library's HTTP client, the settlement-account adapter, the
 * notification verifier and the mapping of WeChat Pay's answers. Not an API; may change without notice.
 * Parameters and returns are non-null unless typed {@code Optional}.
 */
package io.posunbind.provider.wechatpay.internal;
