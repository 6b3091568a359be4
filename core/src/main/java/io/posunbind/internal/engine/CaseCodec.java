package io.posunbind.internal.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.spi.PosUnbindException;
import java.util.List;

/** Reads and writes {@link CaseDocument}s as JSON. Thread-safe. */
final class CaseCodec {

    private final ObjectMapper mapper;

    CaseCodec(io.posunbind.keys.DataKeyProvider keys) {
        // The working documents are plain field holders; only they get field-based mapping.
        // Leave out nulls, empty optionals and fields at their defaults: the document is written after
        // every step, so its size is throughput.
        this.mapper = JsonMappers.storage(io.posunbind.internal.crypto.FieldCipher.create(keys)).copy()
                .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT)
                .addMixIn(CaseDocument.class, FieldsOnly.class)
                .addMixIn(CaseDocument.BackupRecord.class, FieldsOnly.class)
                .addMixIn(StepRecord.class, FieldsOnly.class)
                .addMixIn(io.posunbind.event.UnbindEvent.class, EventTypes.class)
                // Values that never change once recorded: written once per engine call, not once per step.
                .registerModule(io.posunbind.internal.json.RememberedJson.module(List.of(
                        io.posunbind.HistoryEntry.class, io.posunbind.UnbindRequest.class,
                        io.posunbind.spi.model.Document.class, io.posunbind.spi.model.Terminal.class,
                        io.posunbind.spi.model.MerchantInfo.class, io.posunbind.spi.model.SettlementAccount.class,
                        io.posunbind.spi.model.FeeQuote.class, io.posunbind.spi.model.InstitutionDecision.class,
                        io.posunbind.FeeConsent.class, io.posunbind.rules.RuleViolation.class,
                        io.posunbind.spi.model.DocumentChecklist.class,
                        io.posunbind.event.UnbindEvent.class)));
        // Merchant names and history texts are often Chinese. Escaped, they keep the whole document
        // in ASCII, which Java stores one byte per character: every later copy, hash and encoding of
        // the document (the store's included) then handles half the bytes.
        this.mapper.getFactory().configure(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII
                .mappedFeature(), true);
    }

    String write(CaseDocument document) {
        // Written explicitly (the field's default is 0, so it is never left out as a default value):
        // a reader must see which format it holds.
        document.format = CaseDocument.FORMAT;
        try {
            return io.posunbind.internal.json.RememberedJson.remembering(document.jsonMemory, () -> {
                try {
                    return mapper.writeValueAsString(document);
                } catch (JsonProcessingException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException wrapped) {
            JsonProcessingException e = (JsonProcessingException) wrapped.getCause();
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT,
                    "Case " + document.id + " could not be written as JSON: " + e.getOriginalMessage(), null, null);
        }
    }

    CaseDocument read(String caseId, String json) {
        CaseDocument document;
        try {
            document = mapper.readValue(json, CaseDocument.class);
        } catch (JsonProcessingException e) {
            // A key or token problem has its own code: the document is fine, the key is what is missing.
            java.util.Optional<PosUnbindException> coded = JsonMappers.codedCause(e);
            if (coded.isPresent()) {
                throw coded.get();
            }
            // The parser's message may quote the document; say only where it broke.
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT,
                    "Stored case " + caseId + " cannot be read (" + e.getClass().getSimpleName() + location(e) + ")",
                    null, null);
        }
        if (document.format > CaseDocument.FORMAT) {
            throw new PosUnbindException(CoreErrorCode.STORE_CORRUPT, "Stored case " + caseId + " has format "
                    + document.format + ", newer than this engine's " + CaseDocument.FORMAT + "; upgrade posunbind");
        }
        return document;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** The outbox holds events of a sealed family; the JSON names the member in {@code "type"}. */
    @com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.SIMPLE_NAME,
            property = "type")
    @com.fasterxml.jackson.annotation.JsonSubTypes({
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(io.posunbind.event.UnbindEvent.StepStarted.class),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(io.posunbind.event.UnbindEvent.StepFinished.class),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(io.posunbind.event.UnbindEvent.CaseWaiting.class),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(io.posunbind.event.UnbindEvent.CaseFinished.class),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(io.posunbind.event.UnbindEvent.Reminder.class),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(io.posunbind.event.UnbindEvent.OperatorAction.class)})
    private interface EventTypes {
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
            getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE,
            setterVisibility = JsonAutoDetect.Visibility.NONE,
            creatorVisibility = JsonAutoDetect.Visibility.ANY)
    private interface FieldsOnly {
    }
}
