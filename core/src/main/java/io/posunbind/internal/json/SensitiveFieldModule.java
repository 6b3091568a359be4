package io.posunbind.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.posunbind.internal.crypto.FieldCipher;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.CardNumber;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SensitiveNumber;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * How {@link SensitiveNumber}s ({@link CardNumber}, {@link AccountNumber}, {@link IdentityNumber},
 * {@link PhoneNumber}) are written to and read from JSON. Three forms, one Jackson module each:
 * <ul>
 *   <li>{@link #encrypting(FieldCipher)}: written as {@code enc:v1:...} tokens, read from tokens or, for
 *       documents written before encryption, from clear strings. For the case store.</li>
 *   <li>{@link #revealing()}: written and read in clear. For data that is encrypted as a whole anyway
 *       (backup chunks) and for stores without a data key.</li>
 *   <li>{@link #masking()}: written masked ({@code 625094******0016}); anything shown, exported or logged.</li>
 * </ul>
 * A mapper gets exactly one of them; {@link JsonMappers} builds the mappers.
 *
 * <p>Reading a token that cannot be decrypted fails with a {@link JsonMappingException} whose cause is
 * the coded {@link PosUnbindException} ({@code UNB-FIELD-UNREADABLE} or {@code UNB-KEY-UNKNOWN}); find it
 * with {@link JsonMappers#codedCause(Throwable)}. Neither clear values nor tokens appear in messages.
 *
 * <p>The modules are immutable and thread-safe.
 */
public final class SensitiveFieldModule {

    /** The kind label of card numbers, authenticated with their tokens. */
    public static final String CARD_NUMBER = "card-number";
    /** The kind label of account numbers. */
    public static final String ACCOUNT_NUMBER = "account-number";
    /** The kind label of identity numbers. */
    public static final String IDENTITY_NUMBER = "identity-number";
    /** The kind label of phone numbers. */
    public static final String PHONE_NUMBER = "phone-number";

    private SensitiveFieldModule() {
    }

    /** Writes sensitive numbers as encrypted tokens; reads tokens and, from older documents, clear strings. */
    public static Module encrypting(FieldCipher cipher) {
        Objects.requireNonNull(cipher, "cipher");
        SimpleModule module = new SimpleModule("posunbind-sensitive-encrypting");
        module.addSerializer(SensitiveNumber.class, new JsonSerializer<>() {
            @Override
            public void serialize(SensitiveNumber value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(cipher.encrypt(label(value), value.reveal()));
            }
        });
        module.addDeserializer(CardNumber.class, decrypting(cipher, CARD_NUMBER, CardNumber::new));
        module.addDeserializer(AccountNumber.class, decrypting(cipher, ACCOUNT_NUMBER, AccountNumber::new));
        module.addDeserializer(IdentityNumber.class, decrypting(cipher, IDENTITY_NUMBER, IdentityNumber::new));
        module.addDeserializer(PhoneNumber.class, decrypting(cipher, PHONE_NUMBER, PhoneNumber::new));
        return module;
    }

    /** Writes and reads sensitive numbers in clear; refuses encrypted tokens with a clear message. */
    public static Module revealing() {
        return clearModule("posunbind-sensitive-revealing", SensitiveNumber::reveal);
    }

    /** Writes sensitive numbers masked; what it writes cannot be read back into a number. */
    public static Module masking() {
        return clearModule("posunbind-sensitive-masking", SensitiveNumber::masked);
    }

    /** The kind label of a sensitive number's class. */
    static String label(SensitiveNumber value) {
        if (value instanceof CardNumber) {
            return CARD_NUMBER;
        }
        if (value instanceof AccountNumber) {
            return ACCOUNT_NUMBER;
        }
        if (value instanceof IdentityNumber) {
            return IDENTITY_NUMBER;
        }
        return PHONE_NUMBER;
    }

    private static SimpleModule clearModule(String name, Function<SensitiveNumber, String> form) {
        SimpleModule module = new SimpleModule(name);
        module.addSerializer(SensitiveNumber.class, new JsonSerializer<>() {
            @Override
            public void serialize(SensitiveNumber value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(form.apply(value));
            }
        });
        module.addDeserializer(CardNumber.class, decrypting(null, CARD_NUMBER, CardNumber::new));
        module.addDeserializer(AccountNumber.class, decrypting(null, ACCOUNT_NUMBER, AccountNumber::new));
        module.addDeserializer(IdentityNumber.class, decrypting(null, IDENTITY_NUMBER, IdentityNumber::new));
        module.addDeserializer(PhoneNumber.class, decrypting(null, PHONE_NUMBER, PhoneNumber::new));
        return module;
    }

    /** Reads a string; decrypts it first when it is a token and there is a cipher. */
    private static <T> JsonDeserializer<T> decrypting(FieldCipher cipher, String label, Function<String, T> factory) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                    return context.reportInputMismatch(Object.class, "expected a string for a " + label);
                }
                String text = parser.getText();
                String clear = text;
                if (FieldCipher.isToken(text)) {
                    if (cipher == null) {
                        return context.reportInputMismatch(Object.class, "found an encrypted " + label
                                + " but this mapper has no data key; read the document with the storage mapper"
                                + " built with a FieldCipher");
                    }
                    try {
                        clear = cipher.decrypt(label, text);
                    } catch (PosUnbindException e) {
                        throw JsonMappingException.from(parser, e.getMessage(), e);
                    }
                }
                try {
                    return factory.apply(clear);
                } catch (IllegalArgumentException e) {
                    // The constructors' messages describe the expected shape, never the value.
                    return context.reportInputMismatch(Object.class, e.getMessage());
                }
            }
        };
    }
}
