package io.posunbind.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RememberedJsonTest {

    private static final AtomicInteger NAME_READS = new AtomicInteger();

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Entry.class), @JsonSubTypes.Type(Note.class)})
    interface Item {
    }

    /** An immutable value whose accessor counts how often it is serialized. */
    record Entry(String name, int amount) implements Item {
        @Override
        public String name() {
            NAME_READS.incrementAndGet();
            return name;
        }
    }

    record Note(String text) implements Item {
    }

    /** Not listed as immutable: never remembered. */
    record Mutable(List<String> values) {
        @Override
        public List<String> values() {
            NAME_READS.incrementAndGet();
            return values;
        }
    }

    record Holder(Entry single, List<Item> items, Mutable mutable) {
    }

    private final ObjectMapper plain = new ObjectMapper();
    private final ObjectMapper remembering = new ObjectMapper()
            .registerModule(RememberedJson.module(List.of(Entry.class, Note.class)));

    private final Entry entry = new Entry("first", 1);
    private final Holder holder = new Holder(entry, List.of(entry, new Note("n\u00e9e \"quoted\"")),
            new Mutable(List.of("a")));

    @Test
    void theJsonIsTheSameAsWithoutRemembering() throws JsonProcessingException {
        String expected = plain.writeValueAsString(holder);
        RememberedJson.Memory memory = RememberedJson.newMemory();

        assertEquals(expected, write(memory));
        assertEquals(expected, write(memory), "the second write, from memory, too");
        assertEquals(expected, remembering.writeValueAsString(holder), "and outside remembering");
    }

    @Test
    void anImmutableValueIsSerializedOncePerMemoryAndPlace() {
        RememberedJson.Memory memory = RememberedJson.newMemory();
        NAME_READS.set(0);
        write(memory);
        int afterFirst = NAME_READS.getAndSet(0);
        write(memory);
        write(memory);
        int afterMore = NAME_READS.getAndSet(0);
        write(RememberedJson.newMemory());
        int withNewMemory = NAME_READS.getAndSet(0);

        // First write: the entry once in each place (a field and a list element: each place has its own
        // serializer, so may have its own settings), and the record not listed as immutable.
        assertEquals(3, afterFirst);
        assertEquals(2, afterMore, "only the record not listed as immutable is serialized again");
        assertEquals(3, withNewMemory, "a new memory starts empty");
    }

    @Test
    void outsideRememberingEveryWriteSerializesEverything() throws JsonProcessingException {
        NAME_READS.set(0);
        remembering.writeValueAsString(holder);
        remembering.writeValueAsString(holder);
        assertEquals(6, NAME_READS.get(), "entry twice and mutable once, per write");
    }

    private String write(RememberedJson.Memory memory) {
        return RememberedJson.remembering(memory, () -> {
            try {
                return remembering.writeValueAsString(holder);
            } catch (JsonProcessingException e) {
                throw new AssertionError(e);
            }
        });
    }
}
