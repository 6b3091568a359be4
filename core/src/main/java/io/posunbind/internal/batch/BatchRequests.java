package io.posunbind.internal.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.UnbindRequest;
import io.posunbind.internal.crypto.FieldCipher;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.PosUnbindException;

/**
 * Writes a row's unbind request for the batch store and reads it back: JSON whose card, account, identity and
 * phone numbers are encrypted with the data keys, as the case store keeps them, because a row waits in the
 * store (perhaps for days, until its window opens) before it becomes a case. Thread-safe.
 */
final class BatchRequests {

    private final ObjectMapper mapper;

    BatchRequests(DataKeyProvider keys) {
        this.mapper = JsonMappers.storage(FieldCipher.create(keys));
    }

    String write(UnbindRequest request) {
        try {
            return mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An unbind request could not be written as JSON", e);
        }
    }

    UnbindRequest read(String stored) {
        try {
            return mapper.readValue(stored, UnbindRequest.class);
        } catch (JsonProcessingException e) {
            throw JsonMappers.codedCause(e).orElseGet(() -> new PosUnbindException(CoreErrorCode.ENGINE_FAULT,
                    "A batch row's stored request could not be read", null, e));
        }
    }
}
