package io.posunbind.internal.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.CaseId;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.Money;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Jackson module a host registers on its own {@code ObjectMapper} (published as
 * {@code UnbindJson.module()}), so that snapshots, previews, events and requests serialize anywhere,
 * for example when a Spring controller returns a {@code CaseSnapshot}:
 * <ul>
 *   <li>card, account, identity and phone numbers are written masked (and read from clear strings);</li>
 *   <li>a case id is a string, {@code "k3m9x2q8r7"}, not an object;</li>
 *   <li>money is {@code {"minorUnits":26800,"currency":"CNY"}}, without the derived {@code zero};</li>
 *   <li>a fee quote carries its {@code total};</li>
 *   <li>documents name their {@code type} ({@code "BUSINESS_LICENCE"}, ...);</li>
 *   <li>instants in posunbind's types are ISO-8601 strings ({@code "2026-11-25T03:00:00Z"}) whatever the
 *       host's {@code WRITE_DATES_AS_TIMESTAMPS}; the host's own types keep the host's settings.</li>
 * </ul>
 * It brings Jackson's {@code Optional} and {@code java.time} modules along (registered first, once).
 * Lists keep their order: a snapshot's steps are written in plan order. Immutable and thread-safe.
 */
public final class PublicJsonModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** The names a document's {@code "type"} takes, in the order the JSON documentation lists them. */
    public static final List<String> DOCUMENT_TYPES = List.of("BUSINESS_LICENCE", "BUSINESS_REGISTRATION",
            "TERMINAL_INFORMATION", "SETTLEMENT_ACCOUNT", "FILE", "LEGAL_REPRESENTATIVE_IDENTITY");

    /** Creates the module. */
    public PublicJsonModule() {
        super("posunbind", Version.unknownVersion());
        setMixInAnnotation(Document.class, JsonMappers.DocumentMixin.class);
        setMixInAnnotation(Money.class, MoneyMixin.class);
        setMixInAnnotation(FeeQuote.class, FeeQuoteMixin.class);
        addSerializer(CaseId.class, new JsonSerializer<>() {
            @Override
            public void serialize(CaseId value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(value.value());
            }
        });
        addDeserializer(CaseId.class, new JsonDeserializer<>() {
            @Override
            public CaseId deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                    return (CaseId) context.handleUnexpectedToken(CaseId.class, parser);
                }
                return CaseId.of(parser.getText());
            }
        });
        setSerializerModifier(new IsoInstantsInOwnTypes());
    }

    @Override
    public Object getTypeId() {
        // One registration per mapper, however often a host registers the module.
        return PublicJsonModule.class.getName();
    }

    @Override
    public Iterable<? extends Module> getDependencies() {
        return List.of(new Jdk8Module(), new JavaTimeModule(), SensitiveFieldModule.masking());
    }

    /** {@link Money#isZero()} is derived, not a field. */
    @JsonIgnoreProperties(value = "zero", ignoreUnknown = false)
    interface MoneyMixin {
    }

    /** The total is written for people and clients; on reading it is derived again from the items. */
    @JsonIgnoreProperties(value = "total", allowGetters = true)
    interface FeeQuoteMixin {
        @JsonProperty("total")
        Money total();
    }

    /** Writes the instants of posunbind's own types as ISO-8601 text, leaving the host's types alone. */
    private static final class IsoInstantsInOwnTypes extends BeanSerializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription description,
                List<BeanPropertyWriter> properties) {
            if (!description.getBeanClass().getName().startsWith("io.posunbind.")) {
                return properties;
            }
            for (BeanPropertyWriter property : properties) {
                JavaType type = property.getType();
                if (type.hasRawClass(Instant.class)) {
                    property.assignSerializer(instants());
                } else if (type.hasRawClass(Optional.class) && type.containedTypeCount() == 1
                        && type.containedType(0).hasRawClass(Instant.class)) {
                    property.assignSerializer(new OptionalInstantSerializer());
                }
            }
            return properties;
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonSerializer<Object> instants() {
        return (JsonSerializer<Object>) (JsonSerializer<?>) new IsoInstantSerializer();
    }

    /** An {@code Optional<Instant>} as ISO-8601 text or {@code null}. */
    private static final class OptionalInstantSerializer extends JsonSerializer<Object> {

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            Optional<?> optional = (Optional<?>) value;
            if (optional.isPresent()) {
                generator.writeString(IsoInstantSerializer.format((Instant) optional.get()));
            } else {
                generator.writeNull();
            }
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Object value) {
            return value == null || ((Optional<?>) value).isEmpty();
        }
    }
}
