package io.posunbind.examples.remote;

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
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.CardNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SensitiveNumber;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JSON form of the SPI's values on the wire between {@link RemoteSandboxProvider} and
 * {@link SandboxServer}.
 *
 * <p>Built here rather than borrowed from the core's internal mapper, because an adapter depends on the
 * SPI only and must not move in lockstep with the engine's internals. The configuration is the same:
 * {@code Optional} and {@code java.time} through Jackson's own modules, sensitive numbers written in clear
 * (the provider needs the real account number; the wire stays on 127.0.0.1), the sealed {@link Document}
 * and {@link OperationOutcome} families named in a {@code "type"} property, and an {@link ErrorCode}
 * written as its code string and read back as the {@link StandardErrorCode} with that code, or as a
 * {@link RemoteErrorCode} when no standard code matches.
 *
 * <p>Thread-safe: the mapper is configured once and never changed.
 */
public final class SandboxJson {

    private static final ObjectMapper MAPPER = build();

    private static final Map<String, StandardErrorCode> STANDARD_CODES = Arrays.stream(StandardErrorCode.values())
            .collect(Collectors.toUnmodifiableMap(StandardErrorCode::code, Function.identity()));

    private SandboxJson() {
    }

    /** The mapper; shared and thread-safe. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The error code with this code string: a {@link StandardErrorCode} when one has it, otherwise a
     * {@link RemoteErrorCode} that is not retryable (only the code string travels).
     */
    public static ErrorCode errorCode(String code) {
        Objects.requireNonNull(code, "code");
        ErrorCode standard = STANDARD_CODES.get(code);
        return standard != null ? standard : new RemoteErrorCode(code, false);
    }

    private static ObjectMapper build() {
        SimpleModule module = new SimpleModule("posunbind-sandbox-wire");
        module.addSerializer(SensitiveNumber.class, new JsonSerializer<>() {
            @Override
            public void serialize(SensitiveNumber value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(value.reveal());
            }
        });
        module.addDeserializer(CardNumber.class, fromString(CardNumber::new));
        module.addDeserializer(AccountNumber.class, fromString(AccountNumber::new));
        module.addDeserializer(IdentityNumber.class, fromString(IdentityNumber::new));
        module.addDeserializer(PhoneNumber.class, fromString(PhoneNumber::new));
        module.addSerializer(ErrorCode.class, new JsonSerializer<>() {
            @Override
            public void serialize(ErrorCode value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(value.code());
            }
        });
        module.addDeserializer(ErrorCode.class, fromString(SandboxJson::errorCode));
        module.setMixInAnnotation(Document.class, DocumentMixin.class);
        module.setMixInAnnotation(OperationOutcome.class, OutcomeMixin.class);
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(module)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Derived getters such as Money.isZero() travel along; the receiver ignores them.
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
            @JsonSubTypes.Type(value = Document.BusinessRegistration.class, name = "BUSINESS_REGISTRATION"),
            @JsonSubTypes.Type(value = Document.TerminalInformation.class, name = "TERMINAL_INFORMATION"),
            @JsonSubTypes.Type(value = Document.SettlementAccountProof.class, name = "SETTLEMENT_ACCOUNT"),
            @JsonSubTypes.Type(value = Document.FileReference.class, name = "FILE"),
            @JsonSubTypes.Type(value = Document.LegalRepresentativeIdentity.class,
                    name = "LEGAL_REPRESENTATIVE_IDENTITY")})
    interface DocumentMixin {
    }

    /** Outcomes are a sealed family too. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = OperationOutcome.Done.class, name = "DONE"),
            @JsonSubTypes.Type(value = OperationOutcome.Pending.class, name = "PENDING"),
            @JsonSubTypes.Type(value = OperationOutcome.Rejected.class, name = "REJECTED"),
            @JsonSubTypes.Type(value = OperationOutcome.RetryableFailure.class, name = "RETRYABLE_FAILURE"),
            @JsonSubTypes.Type(value = OperationOutcome.Unknown.class, name = "UNKNOWN"),
            @JsonSubTypes.Type(value = OperationOutcome.NotApplicable.class, name = "NOT_APPLICABLE")})
    interface OutcomeMixin {
    }
}
