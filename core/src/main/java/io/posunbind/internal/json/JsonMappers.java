package io.posunbind.internal.json;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.CardNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SensitiveNumber;
import java.io.IOException;
import java.util.function.Function;

/**
 * The two Jackson mappers of the SDK. Both are configured once and thread-safe.
 * <ul>
 *   <li>{@link #storage()} writes sensitive numbers so they can be read back: for the case store only.</li>
 *   <li>{@link #masked()} writes sensitive numbers masked: for anything shown, exported or logged.</li>
 * </ul>
 */
public final class JsonMappers {

    private static final ObjectMapper STORAGE = build(true);
    private static final ObjectMapper MASKED = build(false);

    private JsonMappers() {
    }

    /** The mapper for the case store; sensitive numbers are written so they can be read back. */
    public static ObjectMapper storage() {
        return STORAGE;
    }

    /** The mapper for anything shown or exported; sensitive numbers are masked and cannot be read back. */
    public static ObjectMapper masked() {
        return MASKED;
    }

    private static ObjectMapper build(boolean revealSensitive) {
        SimpleModule sensitive = new SimpleModule("posunbind-sensitive");
        sensitive.addSerializer(SensitiveNumber.class, new JsonSerializer<>() {
            @Override
            public void serialize(SensitiveNumber value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(revealSensitive ? value.reveal() : value.masked());
            }
        });
        sensitive.addDeserializer(CardNumber.class, fromString(CardNumber::new));
        sensitive.addDeserializer(AccountNumber.class, fromString(AccountNumber::new));
        sensitive.addDeserializer(IdentityNumber.class, fromString(IdentityNumber::new));
        sensitive.addDeserializer(PhoneNumber.class, fromString(PhoneNumber::new));
        sensitive.setMixInAnnotation(Document.class, DocumentMixin.class);
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(sensitive)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    private static <T> JsonDeserializer<T> fromString(Function<String, T> factory) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String text = parser.getValueAsString();
                if (text == null) {
                    return context.reportInputMismatch(Object.class, "expected a string");
                }
                try {
                    return factory.apply(text);
                } catch (IllegalArgumentException e) {
                    return context.reportInputMismatch(Object.class, e.getMessage());
                }
            }
        };
    }

    /** Documents are a sealed family; the JSON names the member in {@code "type"}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Document.BusinessLicence.class, name = "BUSINESS_LICENCE"),
            @JsonSubTypes.Type(value = Document.TerminalInformation.class, name = "TERMINAL_INFORMATION"),
            @JsonSubTypes.Type(value = Document.SettlementAccountProof.class, name = "SETTLEMENT_ACCOUNT"),
            @JsonSubTypes.Type(value = Document.FileReference.class, name = "FILE"),
            @JsonSubTypes.Type(value = Document.LegalRepresentativeIdentity.class,
                    name = "LEGAL_REPRESENTATIVE_IDENTITY")})
    interface DocumentMixin {
    }
}
