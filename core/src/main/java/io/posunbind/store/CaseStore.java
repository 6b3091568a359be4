package io.posunbind.store;

import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.WaitReason;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Keeps unbind cases durably between the engine's steps. The engine writes a case after every step
 * with {@link #update}, which must be atomic and check the version, so two writers never both win.
 *
 * <p>Implementations must be thread-safe. Failures are reported as
 * {@link PosUnbindException} with {@link CoreErrorCode#STORE_UNAVAILABLE}
 * (retryable) or {@link CoreErrorCode#STALE_CASE_VERSION}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CaseStore {

    /**
     * Inserts a new case with version 1.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#DUPLICATE_CASE}
     *         when the id exists, or when the record is open and another open case has the same provider
     *         and terminal (stores enforce this atomically)
     */
    void insert(CaseRecord record);

    /** Loads a case by id. */
    Optional<CaseRecord> load(String caseId);

    /**
     * Replaces a case if it still has {@code expectedVersion}; {@code record.version()} must be
     * {@code expectedVersion + 1}.
     *
     * @throws StaleCaseVersionException when the stored version differs or the case is gone
     */
    void update(CaseRecord record, long expectedVersion);

    /**
     * Ids of the cases the engine should look at now: open cases whose {@code wakeAt} is at or before
     * {@code now} (oldest wake time first), then cases whose events are still pending (an instance died
     * between storing and delivering them). Cases leased to anyone until after {@code now} are left out.
     */
    List<String> findDue(Instant now, int limit);

    /**
     * Claims due cases for {@code owner}: the cases {@link #findDue} would name at {@code now}, at most
     * {@code limit}, oldest wake time first (then cases with pending events), each leased to {@code owner}
     * until {@code now + lease} with its version raised by one, as {@link #reschedule} would. Raising the
     * version fences the previous owner of a case taken over: its next write fails on the version, so two
     * owners never both run one case. Of claimers running at once, each case goes to exactly one.
     *
     * <p>The default finds the due cases and leases each with {@link #reschedule}, skipping those another
     * claimer leased first: correct on any store, but claimers then read the same cases and race on their
     * versions. {@link JdbcCaseStore} claims a batch with one statement ({@code FOR UPDATE SKIP LOCKED} on
     * PostgreSQL), and {@link InMemoryCaseStore} under its per-case atomic update, so claimers never fetch
     * the same case.
     *
     * <p>A due case the store cannot read ({@code UNB-STORE-CORRUPT}) is not returned, so that it does not stop the
     * others: {@link JdbcCaseStore} keeps it leased to {@code owner} for 15 minutes and logs it as an error; the
     * default skips it and logs it each time it is found.
     *
     * @param limit at least 1
     * @return the claimed cases, as now stored
     * @since 2.0
     */
    default List<ClaimedCase> claimDue(String owner, Instant now, Duration lease, int limit) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        Instant cutoff = CaseStoreRules.atStoredPrecision(now, "now");
        Instant until = CaseStoreRules.atStoredPrecision(cutoff.plus(lease), "lease");
        List<ClaimedCase> claimed = new ArrayList<>();
        Set<String> unreadable = new HashSet<>();
        // Cases that cannot be read stay due and come first again: look past them, so they stop none behind them.
        for (int look = limit; claimed.size() < limit; look = limit + unreadable.size()) {
            int unreadableBefore = unreadable.size();
            for (String caseId : findDue(cutoff, look)) {
                if (claimed.size() == limit) {
                    break;
                }
                if (unreadable.contains(caseId)) {
                    continue;
                }
                Optional<CaseRecord> current;
                try {
                    current = load(caseId);
                } catch (PosUnbindException e) {
                    if (e.errorCode() != CoreErrorCode.STORE_CORRUPT) {
                        throw e;
                    }
                    unreadable.add(caseId);
                    LoggerFactory.getLogger(CaseStore.class).error("Due case {} cannot be read and is skipped: {}",
                            caseId, e.getMessage());
                    continue;
                }
                if (current.isEmpty() || current.get().leaseUntil().filter(end -> end.isAfter(cutoff)).isPresent()) {
                    continue; // claimed by someone else since it was found
                }
                CaseRecord found = current.get();
                try {
                    reschedule(caseId, found.version(), found.wakeAt(), Optional.of(owner), Optional.of(until));
                } catch (StaleCaseVersionException lost) {
                    continue; // another claimer or writer got there first
                }
                claimed.add(new ClaimedCase(found.rescheduled(found.wakeAt(), Optional.of(owner), Optional.of(until)),
                        found.leaseOwner()));
            }
            if (unreadable.size() == unreadableBefore) {
                break; // no new unreadable case: what the look found is all there is for now
            }
        }
        return List.copyOf(claimed);
    }

    /**
     * Extends a lease the owner still holds, without changing the case's version (a heartbeat).
     *
     * @return false when the case is gone or leased to someone else now
     */
    boolean renewLease(String caseId, String owner, Instant until);

    /**
     * Changes only when the engine next wakes a case and who holds its lease, and raises its version by
     * one: its document, state, update time and wait stay as they are. The engine uses it around a
     * poll that found nothing new, so the poll neither rewrites the case nor makes it look recently
     * changed; the version still fences a writer whose lease another instance took over.
     *
     * <p>The default loads the case and {@link #update updates} it with the same content; stores override
     * it with a narrower write.
     *
     * @param expectedVersion the version the case must still have
     * @param wakeAt          when the engine must next look at the case by itself, if ever
     * @param leaseOwner      the instance that holds the case now, if any
     * @param leaseUntil      until when, present exactly when {@code leaseOwner} is
     * @throws StaleCaseVersionException when the stored version differs or the case is gone
     */
    default void reschedule(String caseId, long expectedVersion, Optional<Instant> wakeAt, Optional<String> leaseOwner,
            Optional<Instant> leaseUntil) {
        CaseStoreRules.checkReschedule(caseId, expectedVersion, wakeAt, leaseOwner, leaseUntil);
        CaseRecord current = load(caseId).filter(stored -> stored.version() == expectedVersion)
                .orElseThrow(() -> new StaleCaseVersionException(caseId, expectedVersion));
        update(current.rescheduled(wakeAt, leaseOwner, leaseUntil), expectedVersion);
    }

    /**
     * Cases matching a filter, a page at a time: least recently updated first, ties by case id, starting
     * after the filter's position. For operators looking for stuck or dead-lettered cases; stores back
     * the filter's parts with indexes.
     */
    List<CaseRecord> findCases(CaseFilter filter);

    /**
     * The cases a provider names by one of its references (an application reference, an operation's
     * reference): those whose written records carried it in {@link CaseRecord#providerReferences()}, in
     * case id order. An indexed lookup, for provider notifications that name no case id. Another
     * provider's reference is never found: references are unique per provider only.
     *
     * @since 2.0
     */
    List<String> findByProviderReference(String providerId, String reference);

    /** Open cases of a provider's terminal; the engine allows one per terminal. */
    List<String> findOpenCaseIds(String providerId, String terminalSerial);

    /**
     * The data keys that fit this store when the application configures none: a store that keeps its
     * data in a place of its own (the embedded H2 directory) may keep keys beside it; a store on a
     * shared database returns empty, and the application must choose keys. Card, account, identity and
     * phone numbers are encrypted with them before they reach the store.
     */
    default Optional<DataKeyProvider> defaultDataKeys() {
        return Optional.empty();
    }

    /**
     * How many cases there are by state and by what the waiting ones wait for, and the wake time of the
     * oldest case due at {@code now} that nobody leased yet: for gauges and health checks, which call it
     * every few seconds, never per case.
     *
     * <p>The default pages through {@link #findCases} state by state and asks {@link #findDue} for the oldest
     * due case: correct on any store, but it reads every case. {@link JdbcCaseStore} counts with one grouped
     * query, {@link InMemoryCaseStore} in memory.
     *
     * @since 2.0
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    default CaseCounts countCases(Instant now) {
        Map<CaseState, Long> byState = new EnumMap<>(CaseState.class);
        Map<WaitReason, Long> waiting = new EnumMap<>(WaitReason.class);
        for (CaseState state : CaseState.values()) {
            CaseFilter filter = CaseFilter.inState(state.name(), CaseFilter.DEFAULT_LIMIT);
            List<CaseRecord> page;
            do {
                page = findCases(filter);
                for (CaseRecord record : page) {
                    byState.merge(state, 1L, Long::sum);
                    if (state == CaseState.WAITING) {
                        record.waitReason().flatMap(CaseStoreRules::knownReason)
                                .ifPresent(reason -> waiting.merge(reason, 1L, Long::sum));
                    }
                }
                if (!page.isEmpty()) {
                    filter = filter.after(page.get(page.size() - 1));
                }
            } while (page.size() == filter.limit());
        }
        return new CaseCounts(byState, waiting, CaseStoreRules.oldestUnclaimedDue(this, now));
    }

    /**
     * Where this store keeps batches of fleet unbinds ({@code unbinder.batches()}), if it keeps any:
     * {@link InMemoryCaseStore} and {@link JdbcCaseStore} do; a store of your own returns empty by default, and
     * opening a batch on it is refused with {@link CoreErrorCode#BATCHES_UNSUPPORTED}.
     *
     * @since 2.0
     */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    default Optional<BatchStore> batches() {
        return Optional.empty();
    }

    /** Cases in a state, least recently updated first. */
    default List<CaseRecord> findByState(String state, int limit) {
        return findCases(CaseFilter.inState(state, limit));
    }
}
