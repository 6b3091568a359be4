package io.posunbind.internal.audit;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.audit.EvidenceEntry;

/**
 * The Jackson mapper of evidence bundles. Strict on reading, since a bundle is evidence: unknown
 * properties, missing primitives and trailing content are errors. Instants are ISO-8601 strings at full
 * precision, which the hashes need. Configured once; thread-safe.
 */
public final class AuditJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .addMixIn(EvidenceEntry.class, EvidenceEntryMixin.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private AuditJson() {
    }

    /** The mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Entries are a sealed family; the JSON names the member in {@code "kind"}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = EvidenceEntry.Full.class, name = "record"),
            @JsonSubTypes.Type(value = EvidenceEntry.Redacted.class, name = "redacted")})
    interface EvidenceEntryMixin {
    }
}
