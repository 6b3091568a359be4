package io.posunbind.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.posunbind.CoreErrorCode;
import io.posunbind.internal.audit.AuditJson;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A case's audit evidence, to hand to an auditor, a regulator or the merchant, who checks it offline with
 * {@link AuditVerifier} (or the {@code VerifyEvidence} command of the examples) and the operator's public
 * keys.
 *
 * <p><b>What it holds.</b> The hash chain is only verifiable as a contiguous run, so the bundle carries
 * every record from just after the <i>anchor</i> (the last checkpoint before the case's first record; the
 * start of the trail when there is none) up to the <i>covering</i> checkpoint (the first at or after the
 * case's last record; the case's last record when none is signed yet). The case's own records are shown in
 * full ({@link EvidenceEntry.Full}); every other record in that run is {@link EvidenceEntry.Redacted
 * redacted} to its sequence, case id, content digest and hashes, which lets the verifier recompute the
 * whole chain without showing anything of another merchant's case. Redacted links show other cases' ids
 * so that the verifier can tell when one of the bundle's own records was hidden. The bundle also holds
 * the anchor, every checkpoint in the run, and the public keys (X.509 PEM) of the keys that signed them.
 *
 * <p>Its size grows with the trail's traffic over the case's lifetime: about 300 bytes of JSON per other
 * record while the case was open.
 *
 * <p><b>Trust.</b> The public keys inside the bundle are a convenience: anyone who can rewrite a bundle can
 * also replace its keys. A verifier should check them against keys obtained from the operator out of
 * band (compare {@link AuditPublicKey#fingerprint()}, or give the verifier its own copy).
 *
 * <p>JSON via {@link #toJson()} and {@link #fromJson(String)}. Immutable.
 *
 * @param format      {@value #FORMAT}
 * @param caseId      the case
 * @param exportedAt  when the bundle was made
 * @param anchor      the last checkpoint before the case's first record, if any; the chain starts after it
 * @param entries     the chain from the anchor's next record to the covering checkpoint, in sequence order
 * @param checkpoints the checkpoints within the entries' range, in sequence order
 * @param publicKeys  the public keys of the anchor's and the checkpoints' key ids
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record EvidenceBundle(String format, String caseId, Instant exportedAt, Optional<Checkpoint> anchor,
        List<EvidenceEntry> entries, List<Checkpoint> checkpoints, List<AuditPublicKey> publicKeys) {

    /** The format this version writes and reads. */
    public static final String FORMAT = "posunbind-audit-evidence/1";

    private static final int PAGE = 10_000;

    /** Checks the format and copies the lists. */
    public EvidenceBundle {
        Objects.requireNonNull(format, "format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("This verifier reads evidence format " + FORMAT + ", not " + format);
        }
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(exportedAt, "exportedAt");
        Objects.requireNonNull(anchor, "anchor");
        entries = List.copyOf(entries);
        checkpoints = List.copyOf(checkpoints);
        publicKeys = List.copyOf(publicKeys);
    }

    /**
     * Exports a case's evidence from a store.
     *
     * @param store      where the trail is kept
     * @param keys       where the public keys of the checkpoints' key ids come from
     * @param caseId     the case
     * @param exportedAt the time to write into the bundle
     * @throws PosUnbindException {@link CoreErrorCode#CASE_NOT_FOUND} when the trail has no record of the case,
     *         or the store's failures
     */
    public static EvidenceBundle export(AuditStore store, AuditKeyProvider keys, String caseId, Instant exportedAt) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(exportedAt, "exportedAt");
        List<AuditRecord> ofCase = store.readByCase(caseId);
        if (caseId.isEmpty() || ofCase.isEmpty()) {
            throw new PosUnbindException(CoreErrorCode.CASE_NOT_FOUND, "The audit trail has no record of case '"
                    + caseId + "'; check the case id");
        }
        long firstOfCase = ofCase.get(0).sequence();
        long lastOfCase = ofCase.get(ofCase.size() - 1).sequence();
        Optional<Checkpoint> anchor = store.latestCheckpointBefore(firstOfCase);
        Optional<Checkpoint> covering = store.firstCheckpointAtOrAfter(lastOfCase);
        long from = anchor.map(checkpoint -> checkpoint.sequence() + 1).orElse(1L);
        long to = covering.map(Checkpoint::sequence).orElse(lastOfCase);

        List<EvidenceEntry> entries = new ArrayList<>();
        long after = from - 1;
        boolean more = true;
        while (more) {
            List<AuditRecord> page = store.readAfter(after, PAGE);
            more = page.size() == PAGE;
            for (AuditRecord record : page) {
                if (record.sequence() > to) {
                    more = false;
                    break;
                }
                entries.add(record.caseId().equals(caseId) ? new EvidenceEntry.Full(record)
                        : EvidenceEntry.Redacted.of(record));
                after = record.sequence();
            }
        }
        List<Checkpoint> checkpoints = store.readCheckpoints(from, to);

        Set<String> keyIds = new LinkedHashSet<>();
        anchor.ifPresent(checkpoint -> keyIds.add(checkpoint.keyId()));
        checkpoints.forEach(checkpoint -> keyIds.add(checkpoint.keyId()));
        List<AuditPublicKey> publicKeys = new ArrayList<>();
        for (String keyId : keyIds) {
            // A key the provider does not know is left out; the verifier reports it as UNKNOWN_KEY.
            keys.publicKey(keyId).ifPresent(publicKeys::add);
        }
        return new EvidenceBundle(FORMAT, caseId, exportedAt, anchor, entries, checkpoints, publicKeys);
    }

    /** The case's own records, shown in full, in the order of the entries. */
    public List<AuditRecord> caseRecords() {
        return entries.stream()
                .filter(entry -> entry instanceof EvidenceEntry.Full full && full.record().caseId().equals(caseId))
                .map(entry -> ((EvidenceEntry.Full) entry).record())
                .toList();
    }

    /** The covering checkpoint: the last of the bundle's checkpoints, if any. */
    public Optional<Checkpoint> coveringCheckpoint() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
    }

    /** The bundle as indented JSON. */
    public String toJson() {
        try {
            return AuditJson.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write an evidence bundle as JSON", e);
        }
    }

    /**
     * Reads a bundle from JSON.
     *
     * @throws PosUnbindException {@link CoreErrorCode#AUDIT_EVIDENCE_INVALID} when the text is not a bundle of
     *         format {@value #FORMAT}: not JSON, a field missing or of the wrong type, an unknown field
     */
    public static EvidenceBundle fromJson(String json) {
        Objects.requireNonNull(json, "json");
        try {
            EvidenceBundle bundle = AuditJson.mapper().readValue(json, EvidenceBundle.class);
            if (bundle == null) {
                throw new PosUnbindException(CoreErrorCode.AUDIT_EVIDENCE_INVALID, "The evidence file holds JSON "
                        + "null, not an evidence bundle");
            }
            return bundle;
        } catch (JsonProcessingException e) {
            throw new PosUnbindException(CoreErrorCode.AUDIT_EVIDENCE_INVALID, "Not an evidence bundle of format "
                    + FORMAT + ": " + e.getOriginalMessage(), null, e);
        }
    }

    /** Writes the bundle as JSON (UTF-8) to a file, replacing it. */
    public void writeTo(Path file) throws IOException {
        Files.writeString(Objects.requireNonNull(file, "file"), toJson(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a bundle from a JSON file (UTF-8).
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws PosUnbindException   {@link CoreErrorCode#AUDIT_EVIDENCE_INVALID} when it is not a bundle
     */
    public static EvidenceBundle readFrom(Path file) {
        Objects.requireNonNull(file, "file");
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the evidence file " + file, e);
        }
        return fromJson(json);
    }
}
