/**
 * 国密 field encryption for integrations with Chinese acquirers: {@link io.posunbind.crypto.Sm4Key}, a
 * 128-bit SM4 key that never prints, and {@link io.posunbind.crypto.Sm4FieldCipher}, SM4-GCM (authenticated
 * encryption, GB/T 32907 with the GCM mode of RFC 8998) of single fields such as an account or identity
 * number, through BouncyCastle's lightweight API with no JCE provider registered.
 *
 * <p>This package belongs to the engine's public API, for the application side (a host encrypting a field
 * before it hands it to an acquirer's channel, or reading one the acquirer encrypted). A provider adapter
 * depends on {@code posunbind-spi} only, which holds nothing but the JDK, and the JDK has no SM4; an adapter
 * of an acquirer that encrypts fields with SM4 therefore uses BouncyCastle (or the acquirer's own library)
 * directly, and can check its output against {@link io.posunbind.crypto.Sm4FieldCipher} in its tests.
 * SM2 signatures over SM3 are a scheme of the callback verifier: see
 * {@link io.posunbind.callback.SignatureScheme#SM2_SM3}.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null.
 */
package io.posunbind.crypto;
