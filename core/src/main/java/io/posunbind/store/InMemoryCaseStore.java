package io.posunbind.store;

import io.posunbind.CaseState;
import io.posunbind.WaitReason;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.API;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link CaseStore} in memory, for tests and demos: nothing survives the process. It checks versions
 * and arguments exactly like {@link JdbcCaseStore} and, like it, keeps instants to the millisecond, so
 * a test that passes against this store behaves the same against the durable one.
 *
 * <p>Thread-safe: {@link #update} is atomic per case. Loads and the open-case check of every
 * {@code open} are lookups; the other queries (due cases, operators' searches) scan every case, which
 * is fine for the thousands of cases of a test, not for production.
 *
 * <pre>{@code
 * CaseStore store = new InMemoryCaseStore();
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class InMemoryCaseStore implements CaseStore {

    private static final Comparator<CaseRecord> BY_WAKE_AT =
            Comparator.comparing((CaseRecord record) -> record.wakeAt().orElseThrow())
                    .thenComparing(CaseRecord::caseId);
    private static final Comparator<CaseRecord> BY_UPDATED_AT =
            Comparator.comparing(CaseRecord::updatedAt).thenComparing(CaseRecord::caseId);

    private final ConcurrentMap<String, CaseRecord> cases = new ConcurrentHashMap<>();

    /** Open case ids by provider and terminal (the unique index of the JDBC store). */
    private final ConcurrentMap<List<String>, Set<String>> openByTerminal = new ConcurrentHashMap<>();

    /** Case ids by provider and reference (the reference table of the JDBC store); entries are never removed. */
    private final ConcurrentMap<List<String>, Set<String>> byReference = new ConcurrentHashMap<>();

    private final DataKeyProvider ephemeralKeys = StaticDataKeyProvider.of(
            DataKey.generate("in-memory", new SecureRandom()));

    /** Creates an empty store. */
    public InMemoryCaseStore() {
    }

    /** A key generated for this store's life: the data goes when the store goes, and so may the key. */
    @Override
    public Optional<DataKeyProvider> defaultDataKeys() {
        return Optional.of(ephemeralKeys);
    }

    @Override
    public synchronized void insert(CaseRecord record) {
        CaseStoreRules.checkInsert(record);
        // Like the JDBC store's unique index: at most one open case per provider and terminal.
        if (record.open() && !findOpenCaseIds(record.providerId(), record.terminalSerial()).isEmpty()) {
            throw CaseStoreRules.duplicateCase(record.caseId());
        }
        if (cases.putIfAbsent(record.caseId(), CaseStoreRules.atStoredPrecision(record)) != null) {
            throw CaseStoreRules.duplicateCase(record.caseId());
        }
        if (record.open()) {
            openCasesOf(record).add(record.caseId());
        }
        indexReferences(record);
    }

    private void indexReferences(CaseRecord record) {
        for (String reference : record.providerReferences()) {
            byReference.computeIfAbsent(List.of(record.providerId(), reference),
                    key -> ConcurrentHashMap.newKeySet()).add(record.caseId());
        }
    }

    private Set<String> openCasesOf(CaseRecord record) {
        return openByTerminal.computeIfAbsent(List.of(record.providerId(), record.terminalSerial()),
                terminal -> ConcurrentHashMap.newKeySet());
    }

    @Override
    public Optional<CaseRecord> load(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        return Optional.ofNullable(cases.get(caseId));
    }

    @Override
    public void update(CaseRecord record, long expectedVersion) {
        CaseStoreRules.checkUpdate(record, expectedVersion);
        CaseRecord stored = CaseStoreRules.atStoredPrecision(record);
        // compute() runs atomically per key; throwing from it leaves the stored case unchanged.
        cases.compute(record.caseId(), (caseId, current) -> {
            if (current == null || current.version() != expectedVersion) {
                throw new StaleCaseVersionException(caseId, expectedVersion);
            }
            if (current.open() != stored.open()) {
                if (stored.open()) {
                    openCasesOf(stored).add(caseId);
                } else {
                    openCasesOf(current).remove(caseId);
                }
            }
            // Inside compute: the references become findable together with the write that carries them.
            indexReferences(record);
            return stored;
        });
    }

    @Override
    public CaseCounts countCases(Instant now) {
        Instant cutoff = CaseStoreRules.atStoredPrecision(now, "now");
        Map<CaseState, Long> byState = new EnumMap<>(CaseState.class);
        Map<WaitReason, Long> waiting = new EnumMap<>(WaitReason.class);
        Instant oldestDue = null;
        for (CaseRecord record : cases.values()) {
            Optional<CaseState> state = CaseStoreRules.knownState(record.state());
            state.ifPresent(known -> byState.merge(known, 1L, Long::sum));
            if (state.equals(Optional.of(CaseState.WAITING))) {
                record.waitReason().flatMap(CaseStoreRules::knownReason)
                        .ifPresent(reason -> waiting.merge(reason, 1L, Long::sum));
            }
            Instant wakeAt = record.wakeAt().orElse(null);
            if (record.open() && wakeAt != null && !wakeAt.isAfter(cutoff) && !leased(record, cutoff)
                    && (oldestDue == null || wakeAt.isBefore(oldestDue))) {
                oldestDue = wakeAt;
            }
        }
        return new CaseCounts(byState, waiting, Optional.ofNullable(oldestDue));
    }

    @Override
    public List<String> findDue(Instant now, int limit) {
        Instant cutoff = CaseStoreRules.atStoredPrecision(now, "now");
        CaseStoreRules.checkLimit(limit);
        List<String> due = new ArrayList<>(cases.values().stream()
                .filter(record -> record.open() && record.wakeAt().filter(wakeAt -> !wakeAt.isAfter(cutoff)).isPresent())
                .filter(record -> !leased(record, cutoff))
                .sorted(BY_WAKE_AT)
                .limit(limit)
                .map(CaseRecord::caseId)
                .toList());
        cases.values().stream()
                .filter(record -> record.eventsPending() && !leased(record, cutoff) && !due.contains(record.caseId()))
                .sorted(BY_UPDATED_AT)
                .limit(limit - due.size())
                .forEach(record -> due.add(record.caseId()));
        return List.copyOf(due);
    }

    /**
     * Leases each due case inside the map's atomic per-case update, checking there again that it is still
     * due and free: of claimers running at once, exactly one gets each case.
     */
    @Override
    public List<ClaimedCase> claimDue(String owner, Instant now, Duration lease, int limit) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        Instant cutoff = CaseStoreRules.atStoredPrecision(now, "now");
        Optional<Instant> until = Optional.of(CaseStoreRules.atStoredPrecision(cutoff.plus(lease), "lease"));
        List<ClaimedCase> claimed = new ArrayList<>();
        for (String caseId : findDue(cutoff, limit)) {
            ClaimedCase[] won = {null};
            cases.computeIfPresent(caseId, (id, current) -> {
                boolean due = current.open() && current.wakeAt().filter(wake -> !wake.isAfter(cutoff)).isPresent()
                        || current.eventsPending();
                if (!due || leased(current, cutoff)) {
                    return current;
                }
                CaseRecord leased = current.rescheduled(current.wakeAt(), Optional.of(owner), until);
                won[0] = new ClaimedCase(leased, current.leaseOwner());
                return leased;
            });
            if (won[0] != null) {
                claimed.add(won[0]);
            }
        }
        return List.copyOf(claimed);
    }

    private static boolean leased(CaseRecord record, Instant now) {
        return record.leaseUntil().filter(until -> until.isAfter(now)).isPresent();
    }

    @Override
    public boolean renewLease(String caseId, String owner, Instant until) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(owner, "owner");
        Instant stored = CaseStoreRules.atStoredPrecision(until, "until");
        boolean[] renewed = {false};
        cases.computeIfPresent(caseId, (id, current) -> {
            if (!current.leaseOwner().filter(owner::equals).isPresent()) {
                return current;
            }
            renewed[0] = true;
            return new CaseRecord(current.caseId(), current.version(), current.state(), current.providerId(),
                    current.merchantNumber(), current.terminalSerial(), current.open(), current.wakeAt(),
                    current.createdAt(), current.updatedAt(), current.document(), current.leaseOwner(),
                    Optional.of(stored), current.eventsPending());
        });
        return renewed[0];
    }

    @Override
    public List<CaseRecord> findCases(CaseFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return cases.values().stream()
                .filter(filter::matches)
                .sorted(BY_UPDATED_AT)
                .limit(filter.limit())
                .toList();
    }

    @Override
    public List<String> findByProviderReference(String providerId, String reference) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(reference, "reference");
        Set<String> found = byReference.get(List.of(providerId, reference));
        return found == null ? List.of() : found.stream().sorted().toList();
    }

    @Override
    public List<String> findOpenCaseIds(String providerId, String terminalSerial) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Set<String> open = openByTerminal.get(List.of(providerId, terminalSerial));
        return open == null ? List.of() : open.stream().sorted().toList();
    }
}
