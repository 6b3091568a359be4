package io.posunbind.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Remembers the JSON of immutable values while one document is written again and again. The engine
 * writes a case after every step, and most of a case (its request, documents, inventory, history)
 * no longer changes once recorded: serializing all of it every time measured half of the engine's own
 * time. Inside {@link #remembering}, a value of a remembered type is serialized once and its JSON
 * reused, by identity, for as long as the same memory is used.
 *
 * <p>Only records are remembered, and only those of the types given to {@link #module}: a record
 * whose components are immutable always serializes to the same JSON. Outside {@link #remembering},
 * the module changes nothing.
 */
public final class RememberedJson {

    private static final ThreadLocal<Memory> CURRENT = new ThreadLocal<>();

    private RememberedJson() {
    }

    /** What one document's writes remember: one per document, confined like the document to one thread. */
    public static final class Memory {
        /**
         * By the serializer and type serializer that wrote it: the same value may be written with
         * different settings in different places, and each place gets the JSON its settings make.
         */
        private final Map<Slot, Map<Object, String>> slots = new HashMap<>();

        Map<Object, String> slot(JsonSerializer<?> serializer, TypeSerializer typeSerializer) {
            return slots.computeIfAbsent(new Slot(serializer, typeSerializer), slot -> new IdentityHashMap<>());
        }
    }

    /** Serializers do not override equals: a slot is a pair of instances. */
    private record Slot(JsonSerializer<?> serializer, TypeSerializer typeSerializer) {
    }

    /** A new, empty memory. */
    public static Memory newMemory() {
        return new Memory();
    }

    /** Runs a serialization that may reuse and add to the memory. */
    public static <T> T remembering(Memory memory, Supplier<T> serialization) {
        Objects.requireNonNull(memory, "memory");
        Memory outer = CURRENT.get();
        CURRENT.set(memory);
        try {
            return serialization.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * The Jackson module that remembers records of the given types (and their subtypes). The types must
     * be deeply immutable: records whose components are immutable values or unmodifiable collections.
     */
    public static SimpleModule module(List<Class<?>> immutableTypes) {
        List<Class<?>> types = List.copyOf(immutableTypes);
        SimpleModule module = new SimpleModule("posunbind-remembered-json");
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                    JsonSerializer<?> serializer) {
                Class<?> type = description.getBeanClass();
                if (type.isRecord() && types.stream().anyMatch(remembered -> remembered.isAssignableFrom(type))) {
                    return new RememberingSerializer((JsonSerializer<Object>) serializer);
                }
                return serializer;
            }
        });
        return module;
    }

    /** Serializes through its delegate once per value and memory, then writes the remembered JSON. */
    private static final class RememberingSerializer extends JsonSerializer<Object>
            implements ResolvableSerializer, ContextualSerializer {

        private final JsonSerializer<Object> delegate;

        RememberingSerializer(JsonSerializer<Object> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            Memory memory = CURRENT.get();
            if (memory == null) {
                delegate.serialize(value, generator, provider);
                return;
            }
            Map<Object, String> slot = memory.slot(this, null);
            String json = slot.get(value);
            if (json == null) {
                json = render(generator, provider, sub -> delegate.serialize(value, sub, provider));
                slot.put(value, json);
            }
            generator.writeRawValue(json);
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator generator, SerializerProvider provider,
                TypeSerializer typeSerializer) throws IOException {
            Memory memory = CURRENT.get();
            if (memory == null) {
                delegate.serializeWithType(value, generator, provider, typeSerializer);
                return;
            }
            Map<Object, String> slot = memory.slot(this, typeSerializer);
            String json = slot.get(value);
            if (json == null) {
                json = render(generator, provider,
                        sub -> delegate.serializeWithType(value, sub, provider, typeSerializer));
                slot.put(value, json);
            }
            generator.writeRawValue(json);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Object value) {
            return delegate.isEmpty(provider, value);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (delegate instanceof ResolvableSerializer resolvable) {
                resolvable.resolve(provider);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            if (delegate instanceof ContextualSerializer contextual) {
                JsonSerializer<?> contextualized = contextual.createContextual(provider, property);
                if (contextualized != delegate) {
                    return new RememberingSerializer((JsonSerializer<Object>) contextualized);
                }
            }
            return this;
        }

        @Override
        public Class<Object> handledType() {
            return delegate.handledType();
        }

        /** Writes with a generator of the same factory and configuration (so the same features), into a string. */
        private static String render(JsonGenerator generator, SerializerProvider provider, Rendering rendering)
                throws IOException {
            ObjectCodec codec = generator.getCodec();
            if (!(codec instanceof ObjectMapper mapper)) {
                throw new IllegalStateException("Remembered JSON needs a generator created by an ObjectMapper");
            }
            // The generator takes its buffers from the factory's pool; the writer only collects the text.
            StringWriter writer = new StringWriter(256);
            try (JsonGenerator sub = mapper.getFactory().createGenerator(writer)) {
                provider.getConfig().initialize(sub);
                rendering.render(sub);
            }
            return writer.toString();
        }
    }

    @FunctionalInterface
    private interface Rendering {
        void render(JsonGenerator generator) throws IOException;
    }
}
