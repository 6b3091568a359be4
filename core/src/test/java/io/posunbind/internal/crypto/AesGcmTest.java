package io.posunbind.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * AES-256-GCM against the test cases 13, 14 and 16 of McGrew and Viega, "The Galois/Counter Mode of
 * Operation (GCM)", the document NIST SP 800-38D builds on.
 */
class AesGcmTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void testCase13EmptyPlaintext() {
        byte[] sealed = AesGcm.encrypt(new byte[32], new byte[12], new byte[0], new byte[0]);
        assertEquals("530f8afbc74536b9a963b4f1c4cb738b", HEX.formatHex(sealed));
    }

    @Test
    void testCase14OneZeroBlock() {
        byte[] sealed = AesGcm.encrypt(new byte[32], new byte[12], new byte[0], new byte[16]);
        assertEquals("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919", HEX.formatHex(sealed));
    }

    @Test
    void testCase16WithAssociatedData() {
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] nonce = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] plaintext = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] expected = HEX.parseHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
        assertArrayEquals(expected, AesGcm.encrypt(key, nonce, aad, plaintext));
        assertArrayEquals(plaintext, AesGcm.decrypt(key, nonce, aad, expected).orElseThrow());
    }

    @Test
    void everyChangedBitFailsAuthentication() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] aad = {1, 2, 3};
        byte[] sealed = AesGcm.encrypt(key, nonce, aad, "6250946000000016".getBytes());
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] changed = sealed.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(AesGcm.decrypt(key, nonce, aad, changed).isEmpty(), "bit " + bit);
        }
        assertTrue(AesGcm.decrypt(key, nonce, new byte[] {1, 2, 4}, sealed).isEmpty());
        assertTrue(AesGcm.decrypt(key, new byte[12], aad, new byte[15]).isEmpty());
    }

    @Test
    void refusesWrongKeyAndNonceLengths() {
        assertThrows(IllegalArgumentException.class, () -> AesGcm.encrypt(new byte[16], new byte[12], new byte[0],
                new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AesGcm.encrypt(new byte[32], new byte[16], new byte[0],
                new byte[0]));
    }

    @Test
    void associatedDataIsUnambiguous() {
        assertTrue(!java.util.Arrays.equals(AssociatedData.of("x").text("ab").text("c").toBytes(),
                AssociatedData.of("x").text("a").text("bc").toBytes()));
    }
}
