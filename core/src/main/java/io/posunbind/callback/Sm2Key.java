package io.posunbind.callback;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.crypto.Sm2WithSm3;
import io.posunbind.spi.PosUnbindException;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A provider's SM2 public key with the user id it signs under: the two go together into Z, so a key is only
 * meaningful with its user id. Immutable; the user id is copied in and out.
 */
final class Sm2Key {

    private final ECPublicKeyParameters publicKey;
    private final byte[] userId;

    private Sm2Key(ECPublicKeyParameters publicKey, byte[] userId) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.userId = userId.clone();
    }

    /**
     * Reads a PEM public key and a user id.
     *
     * @throws PosUnbindException {@code UNB-CALLBACK-KEY-INVALID}, naming the provider and the problem, never the key
     */
    static Sm2Key read(String providerId, String publicKeyPem, String userId) {
        return new Sm2Key(readOrRefuse(providerId, "public key", () -> Sm2WithSm3.readPublicKeyPem(publicKeyPem)),
                userIdOrRefuse(providerId, userId));
    }

    /** The user id as UTF-8, or a coded refusal. */
    static byte[] userIdOrRefuse(String providerId, String userId) {
        return readOrRefuse(providerId, "user id", () -> Sm2WithSm3.userId(userId));
    }

    /**
     * Runs a key reader, which refuses with an {@link IllegalArgumentException} quoting no key, and turns its
     * refusal into the stable code, keeping its reason.
     */
    static <T> T readOrRefuse(String providerId, String what, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new PosUnbindException(CoreErrorCode.CALLBACK_KEY_INVALID, "The SM2 " + what + " for " + providerId
                    + " cannot be used: " + e.getMessage() + "; give an X.509 PEM public key or a PKCS#8 PEM private"
                    + " key on the curve sm2p256v1 (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2),"
                    + " and a user id of 1 to " + Sm2WithSm3.MAX_USER_ID_BYTES + " bytes");
        }
    }

    ECPublicKeyParameters publicKey() {
        return publicKey;
    }

    byte[] userId() {
        return userId.clone();
    }

    @Override
    public String toString() {
        return "Sm2Key[sm2p256v1]";
    }
}
