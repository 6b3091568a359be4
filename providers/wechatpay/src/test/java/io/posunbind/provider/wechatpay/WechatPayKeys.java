package io.posunbind.provider.wechatpay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one test world, generated per run: the service provider's merchant API key (it signs requests)
 * and WeChat Pay's platform key (it signs answers and notifications, and decrypts what was encrypted for it),
 * plus the APIv3 key. Nothing here is WeChat Pay's code: it plays WeChat Pay's side, with the JDK.
 */
final class WechatPayKeys {

    static final String MERCHANT_ID = "1900000001";
    static final String MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    static final String PUBLIC_KEY_ID = "PUB_KEY_ID_0119000000012025120100000000000001";
    static final String API_V3_KEY = "posunbindTestApiV3Key0123456789a";

    final KeyPair merchant;
    final KeyPair platform;

    private WechatPayKeys(KeyPair merchant, KeyPair platform) {
        this.merchant = merchant;
        this.platform = platform;
    }

    static WechatPayKeys generate() {
        return new WechatPayKeys(rsa(), rsa());
    }

    /** The settings a host gives the factory, pointing at {@code baseUri}. */
    Map<String, String> settings(String baseUri) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("base-uri", baseUri);
        settings.put("merchant-id", MERCHANT_ID);
        settings.put("merchant-serial-number", MERCHANT_SERIAL);
        settings.put("merchant-private-key", pem("PRIVATE KEY", merchant.getPrivate().getEncoded()));
        settings.put("wechatpay-public-key", pem("PUBLIC KEY", platform.getPublic().getEncoded()));
        settings.put("wechatpay-public-key-id", PUBLIC_KEY_ID);
        settings.put("api-v3-key", API_V3_KEY);
        settings.put("connect-timeout", "1s");
        settings.put("read-timeout", "700ms");
        settings.put("poll-interval", "30m");
        return settings;
    }

    String merchantPrivateKeyPem() {
        return pem("PRIVATE KEY", merchant.getPrivate().getEncoded());
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** SHA256withRSA, base64: how WeChat Pay signs {@code timestamp\nnonce\nbody\n} and merchants sign requests. */
    static String sign(PrivateKey key, String message) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verifies(PublicKey key, String message, String base64Signature) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(base64Signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** What WeChat Pay does with a sensitive field: RSA-OAEP (SHA-1, MGF1) with its private key. */
    String decryptForPlatform(String base64) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.DECRYPT_MODE, platform.getPrivate());
            return new String(cipher.doFinal(Base64.getDecoder().decode(base64)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not encrypted for the platform key", e);
        }
    }

    /** AEAD_AES_256_GCM with the APIv3 key, as WeChat Pay encrypts a notification's resource. */
    static String encryptResource(String plaintext, String nonce, String associatedData) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(API_V3_KEY.getBytes(StandardCharsets.UTF_8), "AES"),
                    new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
