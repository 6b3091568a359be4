package io.posunbind.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Builds {@link CaseRecord}s for store tests, starting from a plausible open case at version 1. */
final class CaseRecordBuilder {

    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private String caseId;
    private long version = 1;
    private String state = "AWAITING_DOCUMENTS";
    private String providerId = "sandbox";
    private String merchantNumber = "898100012345678";
    private String terminalSerial;
    private boolean open = true;
    private Optional<Instant> wakeAt = Optional.empty();
    private Instant createdAt = T0;
    private Instant updatedAt = T0;
    private String document = "{\"steps\":[]}";
    private Optional<String> leaseOwner = Optional.empty();
    private Optional<Instant> leaseUntil = Optional.empty();
    private boolean eventsPending;
    private Optional<String> waitReason = Optional.empty();
    private Optional<Instant> waitingSince = Optional.empty();
    private Set<String> providerReferences = Set.of();

    private CaseRecordBuilder(String caseId) {
        this.caseId = caseId;
        // One terminal per case by default: stores allow one open case per provider and terminal.
        this.terminalSerial = "SN-" + Integer.toHexString(caseId.hashCode());
    }

    static CaseRecordBuilder aCase(String caseId) {
        return new CaseRecordBuilder(caseId);
    }

    /** A builder holding the record's values, to derive the next version from it. */
    static CaseRecordBuilder from(CaseRecord record) {
        CaseRecordBuilder builder = new CaseRecordBuilder(record.caseId());
        builder.version = record.version();
        builder.state = record.state();
        builder.providerId = record.providerId();
        builder.merchantNumber = record.merchantNumber();
        builder.terminalSerial = record.terminalSerial();
        builder.open = record.open();
        builder.wakeAt = record.wakeAt();
        builder.createdAt = record.createdAt();
        builder.updatedAt = record.updatedAt();
        builder.document = record.document();
        builder.leaseOwner = record.leaseOwner();
        builder.leaseUntil = record.leaseUntil();
        builder.eventsPending = record.eventsPending();
        builder.waitReason = record.waitReason();
        builder.waitingSince = record.waitingSince();
        return builder;
    }

    /** The next version of the case, updated at {@code updatedAt}. */
    static CaseRecordBuilder nextVersionOf(CaseRecord record, Instant updatedAt) {
        return from(record).version(record.version() + 1).updatedAt(updatedAt);
    }

    CaseRecordBuilder version(long value) {
        version = value;
        return this;
    }

    CaseRecordBuilder state(String value) {
        state = value;
        return this;
    }

    CaseRecordBuilder providerId(String value) {
        providerId = value;
        return this;
    }

    CaseRecordBuilder merchantNumber(String value) {
        merchantNumber = value;
        return this;
    }

    CaseRecordBuilder terminalSerial(String value) {
        terminalSerial = value;
        return this;
    }

    CaseRecordBuilder open(boolean value) {
        open = value;
        return this;
    }

    CaseRecordBuilder wakeAt(Instant value) {
        wakeAt = Optional.of(value);
        return this;
    }

    CaseRecordBuilder noWakeAt() {
        wakeAt = Optional.empty();
        return this;
    }

    CaseRecordBuilder createdAt(Instant value) {
        createdAt = value;
        return this;
    }

    CaseRecordBuilder updatedAt(Instant value) {
        updatedAt = value;
        return this;
    }

    CaseRecordBuilder document(String value) {
        document = value;
        return this;
    }

    CaseRecordBuilder lease(String owner, Instant until) {
        leaseOwner = Optional.of(owner);
        leaseUntil = Optional.of(until);
        return this;
    }

    CaseRecordBuilder noLease() {
        leaseOwner = Optional.empty();
        leaseUntil = Optional.empty();
        return this;
    }

    CaseRecordBuilder eventsPending(boolean value) {
        eventsPending = value;
        return this;
    }

    /** A waiting case: state WAITING, waiting for {@code reason} since {@code since}. */
    CaseRecordBuilder waiting(String reason, Instant since) {
        state = "WAITING";
        waitReason = Optional.of(reason);
        waitingSince = Optional.of(since);
        return this;
    }

    /** The references by which the provider names the case, for the store to index with the write. */
    CaseRecordBuilder providerReferences(String... references) {
        providerReferences = Set.of(references);
        return this;
    }

    CaseRecord build() {
        return new CaseRecord(caseId, version, state, providerId, merchantNumber, terminalSerial, open, wakeAt,
                createdAt, updatedAt, document, leaseOwner, leaseUntil, eventsPending, waitReason, waitingSince,
                providerReferences);
    }
}
