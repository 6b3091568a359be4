package io.posunbind.store;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.spi.API;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Which cases an operator query returns, and which page of them. Empty parts match everything; the parts
 * given must all match. Results come least recently updated first, ties by case id, and a query returns
 * at most {@link #limit()} cases; the next page is the same filter {@link #after} the last case returned
 * (keyset paging: no case is skipped or repeated while the cases do not change, however many pages).
 *
 * <p>Waiting cases keep their update time while the engine polls on their behalf, and carry the instant
 * their current wait began, so stuck cases are found by what they wait for and since when:
 *
 * <pre>{@code
 * CaseFilter stuck = CaseFilter.builder()
 *         .waitingFor(WaitReason.INSTITUTION_DECISION)
 *         .waitingSinceBefore(clock.instant().minus(Duration.ofDays(7)))
 *         .limit(100)
 *         .build();
 * List<CaseSnapshot> page = unbinder.findCases(stuck);
 * while (!page.isEmpty()) {
 *     // ...
 *     page = unbinder.findCases(stuck.after(page.get(page.size() - 1)));
 * }
 * }</pre>
 *
 * <p>Instants are compared at the stores' precision, whole milliseconds. Immutable and thread-safe.
 *
 * @param state              the case state's name ({@link CaseState})
 * @param waitReason         what a waiting case waits for ({@link WaitReason}'s name); matches waiting cases only
 * @param waitingSinceBefore only cases waiting since before this instant (waiting longer than up to now)
 * @param waitingSinceAfter  only cases waiting since after this instant
 * @param providerId         the provider
 * @param merchantNumber     the merchant
 * @param terminalSerial     the old terminal's serial number
 * @param updatedBefore      only cases not changed since this instant
 * @param after              the page starts after this position (the last case of the previous page)
 * @param limit              at most this many, at least 1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CaseFilter(Optional<String> state, Optional<String> waitReason, Optional<Instant> waitingSinceBefore,
        Optional<Instant> waitingSinceAfter, Optional<String> providerId, Optional<String> merchantNumber,
        Optional<String> terminalSerial, Optional<Instant> updatedBefore, Optional<Position> after, int limit) {

    /** How many cases a page holds when the builder is given no limit. */
    public static final int DEFAULT_LIMIT = 100;

    /** Checks the fields and cuts the instants to whole milliseconds, the stores' precision. */
    public CaseFilter {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(waitReason, "waitReason");
        waitingSinceBefore = toMillis(Objects.requireNonNull(waitingSinceBefore, "waitingSinceBefore"));
        waitingSinceAfter = toMillis(Objects.requireNonNull(waitingSinceAfter, "waitingSinceAfter"));
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        updatedBefore = toMillis(Objects.requireNonNull(updatedBefore, "updatedBefore"));
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** A filter by state, provider and age alone (the filter's first form). */
    public CaseFilter(Optional<String> state, Optional<String> providerId, Optional<Instant> updatedBefore, int limit) {
        this(state, Optional.empty(), Optional.empty(), Optional.empty(), providerId, Optional.empty(), Optional.empty(),
                updatedBefore, Optional.empty(), limit);
    }

    /** Cases in one state. */
    public static CaseFilter inState(String state, int limit) {
        return new CaseFilter(Optional.of(state), Optional.empty(), Optional.empty(), limit);
    }

    /** A builder of a filter that matches every case, {@value #DEFAULT_LIMIT} to a page. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same filter for the page after a case of this one's last page. */
    public CaseFilter after(Position position) {
        Objects.requireNonNull(position, "position");
        return new CaseFilter(state, waitReason, waitingSinceBefore, waitingSinceAfter, providerId, merchantNumber,
                terminalSerial, updatedBefore, Optional.of(position), limit);
    }

    /** The same filter for the page after this case, the last one of the previous page. */
    public CaseFilter after(CaseRecord last) {
        return after(Position.of(last));
    }

    /** The same filter for the page after this case, the last one of the previous page. */
    public CaseFilter after(CaseSnapshot last) {
        return after(Position.of(last));
    }

    /** Whether a record matches, position included. */
    public boolean matches(CaseRecord record) {
        return state.map(record.state()::equals).orElse(true)
                && waitReason.map(reason -> record.waitReason().filter(reason::equals).isPresent()).orElse(true)
                && waitingSinceBefore.map(before -> record.waitingSince().filter(before::isAfter).isPresent())
                        .orElse(true)
                && waitingSinceAfter.map(since -> record.waitingSince().filter(since::isBefore).isPresent())
                        .orElse(true)
                && providerId.map(record.providerId()::equals).orElse(true)
                && merchantNumber.map(record.merchantNumber()::equals).orElse(true)
                && terminalSerial.map(record.terminalSerial()::equals).orElse(true)
                && updatedBefore.map(record.updatedAt()::isBefore).orElse(true)
                && after.map(position -> position.isBefore(record)).orElse(true);
    }

    private static Optional<Instant> toMillis(Optional<Instant> instant) {
        return instant.map(value -> value.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A case's place in the order of results: its update time, then its id.
     *
     * @param updatedAt when the case last changed, cut to whole milliseconds
     * @param caseId    the case id
     */
    public record Position(Instant updatedAt, String caseId) {

        /** Checks the fields and cuts the instant to whole milliseconds. */
        public Position {
            updatedAt = Objects.requireNonNull(updatedAt, "updatedAt").truncatedTo(ChronoUnit.MILLIS);
            Objects.requireNonNull(caseId, "caseId");
        }

        /** The position of a stored case. */
        public static Position of(CaseRecord record) {
            return new Position(record.updatedAt(), record.caseId());
        }

        /** The position of a case as an operator query returned it. */
        public static Position of(CaseSnapshot snapshot) {
            return new Position(snapshot.updatedAt(), snapshot.id().value());
        }

        /** Whether a record comes after this position. */
        boolean isBefore(CaseRecord record) {
            int byTime = record.updatedAt().compareTo(updatedAt);
            return byTime > 0 || (byTime == 0 && record.caseId().compareTo(caseId) > 0);
        }
    }

    /** Builds a {@link CaseFilter}. Not thread-safe; the filters it builds are. */
    public static final class Builder {

        private Optional<String> state = Optional.empty();
        private Optional<String> waitReason = Optional.empty();
        private Optional<Instant> waitingSinceBefore = Optional.empty();
        private Optional<Instant> waitingSinceAfter = Optional.empty();
        private Optional<String> providerId = Optional.empty();
        private Optional<String> merchantNumber = Optional.empty();
        private Optional<String> terminalSerial = Optional.empty();
        private Optional<Instant> updatedBefore = Optional.empty();
        private Optional<Position> after = Optional.empty();
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /** Only cases in this state. */
        public Builder state(CaseState value) {
            state = Optional.of(Objects.requireNonNull(value, "state").name());
            return this;
        }

        /** Only waiting cases that wait for this. */
        public Builder waitingFor(WaitReason value) {
            waitReason = Optional.of(Objects.requireNonNull(value, "waitingFor").name());
            return this;
        }

        /** Only cases waiting since before this instant: {@code now.minus(Duration.ofDays(7))} for "over a week". */
        public Builder waitingSinceBefore(Instant value) {
            waitingSinceBefore = Optional.of(Objects.requireNonNull(value, "waitingSinceBefore"));
            return this;
        }

        /** Only cases waiting since after this instant. */
        public Builder waitingSinceAfter(Instant value) {
            waitingSinceAfter = Optional.of(Objects.requireNonNull(value, "waitingSinceAfter"));
            return this;
        }

        /** Only cases of this provider. */
        public Builder provider(String value) {
            providerId = Optional.of(Objects.requireNonNull(value, "provider"));
            return this;
        }

        /** Only cases of this merchant. */
        public Builder merchantNumber(String value) {
            merchantNumber = Optional.of(Objects.requireNonNull(value, "merchantNumber"));
            return this;
        }

        /** Only cases of this (old) terminal. */
        public Builder terminalSerial(String value) {
            terminalSerial = Optional.of(Objects.requireNonNull(value, "terminalSerial"));
            return this;
        }

        /** Only cases not changed since this instant. */
        public Builder updatedBefore(Instant value) {
            updatedBefore = Optional.of(Objects.requireNonNull(value, "updatedBefore"));
            return this;
        }

        /** The page starts after this position. */
        public Builder after(Position value) {
            after = Optional.of(Objects.requireNonNull(value, "after"));
            return this;
        }

        /** At most this many cases to a page; at least 1. */
        public Builder limit(int value) {
            limit = value;
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalArgumentException when the limit is below 1
         */
        public CaseFilter build() {
            return new CaseFilter(state, waitReason, waitingSinceBefore, waitingSinceAfter, providerId, merchantNumber,
                    terminalSerial, updatedBefore, after, limit);
        }
    }
}
