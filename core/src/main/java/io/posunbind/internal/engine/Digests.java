package io.posunbind.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256 through BouncyCastle's lightweight API (no JCE provider registration needed). */
final class Digests {

    private Digests() {
    }

    static String sha256Hex(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        SHA256Digest digest = new SHA256Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
