package io.posunbind.store;

import io.posunbind.WaitReason;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One unbind case as a store keeps it: a few indexed columns and the engine's case document.
 * A store treats {@link #document()} as opaque text; only the engine reads it.
 *
 * @param caseId         the case id
 * @param version        the optimistic-locking version: 1 when inserted, one more on every update
 * @param state          the case state's name, for queries by state
 * @param providerId     the provider that carries the case out
 * @param merchantNumber the merchant number
 * @param terminalSerial the old terminal's serial number
 * @param open           whether the case is still open (not completed, rejected, cancelled or failed)
 * @param wakeAt         when the engine must next look at the case by itself (a retry, a poll), if ever
 * @param createdAt      when the case was opened
 * @param updatedAt      when the case last changed
 * @param document       the engine's JSON document of the case
 * @param leaseOwner     the engine instance working on the case now, if any
 * @param leaseUntil     until when that instance's lease holds; after it, another instance may take over
 * @param eventsPending  whether the document holds events not yet delivered to listeners (the outbox)
 * @param waitReason     what the case waits for ({@link WaitReason}'s name), while it waits
 * @param waitingSince   since when it waits for that, while it waits; polls on its behalf do not move it
 * @param providerReferences the references by which the case's provider names the case (its application
 *                       reference, its operations' references), each 1 to
 *                       {@value #MAX_PROVIDER_REFERENCE_LENGTH} characters: a store indexes them with the
 *                       write, in the same transaction, for {@link CaseStore#findByProviderReference}, and keeps
 *                       a reference once indexed even when a later write no longer carries it. A store need not
 *                       give them back: a loaded record carries none
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CaseRecord(String caseId, long version, String state, String providerId, String merchantNumber,
        String terminalSerial, boolean open, Optional<Instant> wakeAt, Instant createdAt, Instant updatedAt,
        String document, Optional<String> leaseOwner, Optional<Instant> leaseUntil, boolean eventsPending,
        Optional<String> waitReason, Optional<Instant> waitingSince, Set<String> providerReferences) {

    /** The longest provider reference a store indexes. */
    public static final int MAX_PROVIDER_REFERENCE_LENGTH = 512;

    /** A record that names no provider reference. */
    public CaseRecord(String caseId, long version, String state, String providerId, String merchantNumber,
            String terminalSerial, boolean open, Optional<Instant> wakeAt, Instant createdAt, Instant updatedAt,
            String document, Optional<String> leaseOwner, Optional<Instant> leaseUntil, boolean eventsPending,
            Optional<String> waitReason, Optional<Instant> waitingSince) {
        this(caseId, version, state, providerId, merchantNumber, terminalSerial, open, wakeAt, createdAt, updatedAt,
                document, leaseOwner, leaseUntil, eventsPending, waitReason, waitingSince, Set.of());
    }

    /** A record that does not wait for anything. */
    public CaseRecord(String caseId, long version, String state, String providerId, String merchantNumber,
            String terminalSerial, boolean open, Optional<Instant> wakeAt, Instant createdAt, Instant updatedAt,
            String document, Optional<String> leaseOwner, Optional<Instant> leaseUntil, boolean eventsPending) {
        this(caseId, version, state, providerId, merchantNumber, terminalSerial, open, wakeAt, createdAt, updatedAt,
                document, leaseOwner, leaseUntil, eventsPending, Optional.empty(), Optional.empty());
    }

    /** A record without lease and without pending events. */
    public CaseRecord(String caseId, long version, String state, String providerId, String merchantNumber,
            String terminalSerial, boolean open, Optional<Instant> wakeAt, Instant createdAt, Instant updatedAt,
            String document) {
        this(caseId, version, state, providerId, merchantNumber, terminalSerial, open, wakeAt, createdAt, updatedAt,
                document, Optional.empty(), Optional.empty(), false);
    }

    /** Checks the fields. */
    public CaseRecord {
        Objects.requireNonNull(caseId, "caseId");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Objects.requireNonNull(wakeAt, "wakeAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (leaseOwner.isPresent() != leaseUntil.isPresent()) {
            throw new IllegalArgumentException("A lease has both an owner and an end, or neither");
        }
        Objects.requireNonNull(waitReason, "waitReason");
        Objects.requireNonNull(waitingSince, "waitingSince");
        providerReferences = Set.copyOf(Objects.requireNonNull(providerReferences, "providerReferences"));
        for (String reference : providerReferences) {
            if (reference.isEmpty() || reference.length() > MAX_PROVIDER_REFERENCE_LENGTH) {
                throw new IllegalArgumentException("A provider reference has 1 to " + MAX_PROVIDER_REFERENCE_LENGTH
                        + " characters, one has " + reference.length());
            }
        }
    }

    /**
     * This record with another wake time and lease and the next version, its content unchanged: what
     * {@link CaseStore#reschedule} stores.
     */
    public CaseRecord rescheduled(Optional<Instant> newWakeAt, Optional<String> newLeaseOwner,
            Optional<Instant> newLeaseUntil) {
        return new CaseRecord(caseId, version + 1, state, providerId, merchantNumber, terminalSerial, open, newWakeAt,
                createdAt, updatedAt, document, newLeaseOwner, newLeaseUntil, eventsPending, waitReason, waitingSince,
                providerReferences);
    }

    /** Whether another instance than {@code owner} holds an unexpired lease at {@code now}. */
    public boolean leasedToOtherThan(String owner, Instant now) {
        return leaseOwner.isPresent() && !leaseOwner.get().equals(owner) && leaseUntil.get().isAfter(now);
    }

    /** The document is large and may hold sensitive data: only its length is shown. */
    @Override
    public String toString() {
        return "CaseRecord[caseId=" + caseId + ", version=" + version + ", state=" + state + ", providerId="
                + providerId + ", open=" + open + ", wakeAt=" + wakeAt.orElse(null) + ", lease=" + leaseOwner.orElse("-")
                + ", eventsPending=" + eventsPending + ", waitReason=" + waitReason.orElse("-") + ", waitingSince="
                + waitingSince.orElse(null) + ", providerReferences=" + providerReferences.size() + ", document="
                + document.length()
                + " chars]";
    }
}
