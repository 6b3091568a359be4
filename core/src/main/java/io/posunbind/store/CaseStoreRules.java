package io.posunbind.store;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.spi.PosUnbindException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rules every store of this package follows, in one place so the in-memory store used in tests
 * rejects exactly what the durable one rejects, keeps instants at the same precision and reports a
 * duplicate the same way.
 */
final class CaseStoreRules {

    /** The longest case id, state, provider id, merchant number or terminal serial a store keeps. */
    static final int MAX_KEY_LENGTH = 255;

    private CaseStoreRules() {
    }

    static void checkInsert(CaseRecord record) {
        checkFields(record);
        if (record.version() != 1) {
            throw new IllegalArgumentException(
                    "A new case has version 1, case " + record.caseId() + " has version " + record.version());
        }
    }

    static void checkUpdate(CaseRecord record, long expectedVersion) {
        checkFields(record);
        if (record.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("An update of case " + record.caseId() + " from version "
                    + expectedVersion + " must carry version " + (expectedVersion + 1) + ", not " + record.version());
        }
    }

    static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /**
     * Stores keep instants as epoch milliseconds: this is the number kept for an instant.
     *
     * @throws IllegalArgumentException when the instant is too far from 1970 to count in milliseconds
     */
    static long epochMillis(Instant instant, String what) {
        Objects.requireNonNull(instant, what);
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " is out of the range a case store keeps: " + instant, e);
        }
    }

    /** The instant a store gives back for one it was given: cut to whole milliseconds. */
    static Instant atStoredPrecision(Instant instant, String what) {
        return Instant.ofEpochMilli(epochMillis(instant, what));
    }

    /**
     * The record a store gives back for one it was given: instants cut to whole milliseconds, and no
     * provider references (stores index them apart and do not read them back).
     */
    static CaseRecord atStoredPrecision(CaseRecord record) {
        return new CaseRecord(record.caseId(), record.version(), record.state(), record.providerId(),
                record.merchantNumber(), record.terminalSerial(), record.open(),
                record.wakeAt().map(wakeAt -> atStoredPrecision(wakeAt, "wakeAt")),
                atStoredPrecision(record.createdAt(), "createdAt"), atStoredPrecision(record.updatedAt(), "updatedAt"),
                record.document(), record.leaseOwner(),
                record.leaseUntil().map(until -> atStoredPrecision(until, "leaseUntil")), record.eventsPending(),
                record.waitReason(), record.waitingSince().map(since -> atStoredPrecision(since, "waitingSince")),
                Set.of());
    }

    static PosUnbindException duplicateCase(String caseId) {
        return new PosUnbindException(CoreErrorCode.DUPLICATE_CASE,
                "A case with id " + caseId + " exists already; open the new case under another id");
    }

    private static void checkFields(CaseRecord record) {
        Objects.requireNonNull(record, "record");
        checkLength(record.caseId(), "caseId");
        checkLength(record.state(), "state");
        checkLength(record.providerId(), "providerId");
        checkLength(record.merchantNumber(), "merchantNumber");
        checkLength(record.terminalSerial(), "terminalSerial");
        record.wakeAt().ifPresent(wakeAt -> epochMillis(wakeAt, "wakeAt"));
        epochMillis(record.createdAt(), "createdAt");
        epochMillis(record.updatedAt(), "updatedAt");
        record.waitReason().ifPresent(reason -> checkLength(reason, "waitReason"));
        record.waitingSince().ifPresent(since -> epochMillis(since, "waitingSince"));
    }

    static void checkReschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt,
            Optional<String> leaseOwner, Optional<Instant> leaseUntil) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(wakeAt, "wakeAt").ifPresent(at -> epochMillis(at, "wakeAt"));
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(leaseUntil, "leaseUntil").ifPresent(until -> epochMillis(until, "leaseUntil"));
        if (leaseOwner.isPresent() != leaseUntil.isPresent()) {
            throw new IllegalArgumentException("A lease has both an owner and an end, or neither");
        }
        if (expectedVersion < 1) {
            throw new IllegalArgumentException("versions start at 1, expected version was " + expectedVersion);
        }
    }

    private static void checkLength(String value, String what) {
        if (value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    what + " has " + value.length() + " characters; a case store keeps at most " + MAX_KEY_LENGTH);
        }
    }

    /**
     * The wake time of the oldest case due at {@code now} and leased to nobody: the first case
     * {@link CaseStore#findDue} names, when it is due by its wake time (not only for pending events).
     */
    static Optional<Instant> oldestUnclaimedDue(CaseStore store, Instant now) {
        Instant cutoff = atStoredPrecision(now, "now");
        return store.findDue(cutoff, 1).stream().findFirst().flatMap(store::load)
                .filter(record -> record.open() && record.leaseUntil().filter(until -> until.isAfter(cutoff)).isEmpty())
                .flatMap(CaseRecord::wakeAt).filter(wakeAt -> !wakeAt.isAfter(cutoff));
    }

    /** The state a record names, when it is one of {@link CaseState}'s (a store of older or foreign rows may hold others). */
    static Optional<CaseState> knownState(String state) {
        return known(CaseState.class, state);
    }

    /** The wait reason a record names, when it is one of {@link WaitReason}'s. */
    static Optional<WaitReason> knownReason(String reason) {
        return known(WaitReason.class, reason);
    }

    private static <E extends Enum<E>> Optional<E> known(Class<E> type, String name) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
