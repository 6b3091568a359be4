package io.posunbind.internal.json;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.internal.crypto.FieldCipher;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import java.time.Instant;
import java.util.Optional;

/**
 * The Jackson mappers of the SDK. Each is configured once and thread-safe.
 * <ul>
 *   <li>{@link #storage(FieldCipher)} writes sensitive numbers as encrypted tokens and reads tokens as
 *       well as clear values of older documents: for the case store when a data key is configured.</li>
 *   <li>{@link #storage()} writes sensitive numbers in clear so they can be read back: for content that
 *       is encrypted as a whole (backups) and for a store without a data key.</li>
 *   <li>{@link #masked()} writes sensitive numbers masked: for anything shown, exported or logged.</li>
 * </ul>
 * All three share the same configuration otherwise (java.time, Optional, documents, lenient about
 * unknown properties); see {@link SensitiveFieldModule} for the forms of sensitive numbers.
 */
public final class JsonMappers {

    private static final ObjectMapper STORAGE = build(SensitiveFieldModule.revealing());
    private static final ObjectMapper MASKED = build(SensitiveFieldModule.masking());

    private JsonMappers() {
    }

    /** The mapper for content encrypted as a whole; sensitive numbers are written in clear. */
    public static ObjectMapper storage() {
        return STORAGE;
    }

    /**
     * A new mapper for the case store that encrypts every sensitive number with the cipher. Building a
     * mapper is costly: build it once and keep it (it is thread-safe), or {@code copy()} it to add mix-ins.
     */
    public static ObjectMapper storage(FieldCipher cipher) {
        return build(SensitiveFieldModule.encrypting(cipher));
    }

    /** The mapper for anything shown or exported; sensitive numbers are masked and cannot be read back. */
    public static ObjectMapper masked() {
        return MASKED;
    }

    /**
     * The coded exception behind a Jackson failure, if any: reading an encrypted field that cannot be
     * decrypted fails with a {@code JsonMappingException} caused by a {@link PosUnbindException}
     * ({@code UNB-FIELD-UNREADABLE}, {@code UNB-KEY-UNKNOWN}) that says what to do.
     */
    public static Optional<PosUnbindException> codedCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PosUnbindException coded) {
                return Optional.of(coded);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    private static ObjectMapper build(Module sensitive) {
        SimpleModule documents = new SimpleModule("posunbind-documents");
        documents.setMixInAnnotation(Document.class, DocumentMixin.class);
        // Registered after JavaTimeModule, so it replaces that module's Instant serializer (same text).
        documents.addSerializer(Instant.class, new IsoInstantSerializer());
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(documents)
                .addModule(sensitive)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
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
}
