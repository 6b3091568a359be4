package io.posunbind.provider.wechatpay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.provider.wechatpay.WechatPaySettings;
import io.posunbind.spi.ProviderSettings;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The library's RSA-OAEP encryptor keeps one {@code Cipher} for all callers; the engine's workers encrypt
 * account numbers at once, and each must get its own number back at WeChat Pay.
 */
class WechatPayHttpEncryptionTest {

    @Test
    void accountNumbersEncryptedByManyWorkersAtOnceEachDecryptToTheirOwn() throws Exception {
        KeyPair platform = rsa();
        KeyPair merchant = rsa();
        WechatPayHttp http = new WechatPayHttp(WechatPaySettings.from(ProviderSettings.of(Map.of(
                "merchant-id", "1900000001", "merchant-serial-number", "5157F09EFDC096DE",
                "merchant-private-key", Base64.getEncoder().encodeToString(merchant.getPrivate().getEncoded()),
                "wechatpay-public-key", Base64.getEncoder().encodeToString(platform.getPublic().getEncoded()),
                "wechatpay-public-key-id", "PUB_KEY_ID_01", "api-v3-key", "posunbindTestApiV3Key0123456789a"))));
        int threads = 8;
        int each = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String[]>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int worker = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String[]> sent = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String clear = String.format("62170%02d%010d", worker, i);
                        sent.add(new String[] {clear, http.encrypt(clear)});
                    }
                    return sent;
                }));
            }
            start.countDown();
            Cipher decrypt = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            decrypt.init(Cipher.DECRYPT_MODE, platform.getPrivate());
            int checked = 0;
            for (Future<List<String[]>> result : results) {
                for (String[] pair : result.get(120, TimeUnit.SECONDS)) {
                    assertEquals(pair[0], new String(decrypt.doFinal(Base64.getDecoder().decode(pair[1])),
                            StandardCharsets.UTF_8));
                    checked++;
                }
            }
            assertEquals(threads * each, checked);
        } finally {
            pool.shutdownNow();
            http.close();
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
