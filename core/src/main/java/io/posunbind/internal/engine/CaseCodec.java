package io.posunbind.internal.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.HistoryEntry;
import io.posunbind.UnbindRequest;
import io.posunbind.event.UnbindEvent;
import io.posunbind.internal.crypto.FieldCipher;
import io.posunbind.internal.json.JsonMappers;
import io.posunbind.internal.json.RememberedJson;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.Terminal;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@link CaseDocument}s as JSON. Thread-safe. */
final class CaseCodec {

    private final ObjectMapper mapper;

    CaseCodec(DataKeyProvider keys) {
        // The working documents are plain field holders; only they get field-based mapping.
        // Leave out nulls, empty optionals and fields at their defaults: the document is written after
        // every step, so its size is throughput.
        this.mapper = JsonMappers.storage(FieldCipher.create(keys)).copy()
                .setSerializationInclusion(JsonInclude.Include.NON_ABSENT)
                .addMixIn(CaseDocument.class, FieldsOnly.class)
                .addMixIn(CaseDocument.BackupRecord.class, FieldsOnly.class)
                .addMixIn(StepRecord.class, FieldsOnly.class)
                .addMixIn(UnbindEvent.class, EventTypes.class)
                // Values that never change once recorded: written once per engine call, not once per step.
                .registerModule(RememberedJson.module(List.of(
                        HistoryEntry.class, UnbindRequest.class,
                        Document.class, Terminal.class,
                        MerchantInfo.class, SettlementAccount.class,
                        FeeQuote.class, InstitutionDecision.class,
                        FeeConsent.class, RuleViolation.class,
                        DocumentChecklist.class,
                        UnbindEvent.class)));
        // Merchant names and history texts are often Chinese. Escaped, they keep the whole document
        // in ASCII, which Java stores one byte per character: every later copy, hash and encoding of
        // the document (the store's included) then handles half the bytes.
        this.mapper.getFactory().configure(JsonWriteFeature.ESCAPE_NON_ASCII
                .mappedFeature(), true);
    }

    String write(CaseDocument document) {
        // Written explicitly (the field's default is 0, so it is never left out as a default value):
        // a reader must see which format it holds.
        document.format = CaseDocument.FORMAT;
        try {
            return RememberedJson.remembering(document.jsonMemory, () -> {
                try {
                    return mapper.writeValueAsString(document);
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException wrapped) {
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
            Optional<PosUnbindException> coded = JsonMappers.codedCause(e);
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
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME,
            property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(UnbindEvent.StepStarted.class),
            @JsonSubTypes.Type(UnbindEvent.StepFinished.class),
            @JsonSubTypes.Type(UnbindEvent.CaseWaiting.class),
            @JsonSubTypes.Type(UnbindEvent.CaseFinished.class),
            @JsonSubTypes.Type(UnbindEvent.Reminder.class),
            @JsonSubTypes.Type(UnbindEvent.OperatorAction.class)})
    private interface EventTypes {
    }

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
            getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE,
            setterVisibility = JsonAutoDetect.Visibility.NONE,
            creatorVisibility = JsonAutoDetect.Visibility.ANY)
    private interface FieldsOnly {
    }
}
