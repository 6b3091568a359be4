package io.posunbind.examples.campaign;

import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link CampaignWorker} knows of the campaign's cases: which are in the store under which id, and
 * which ended in which state, from what it did itself, what the engine reported, and what it read back from
 * the store (other instances' cases, or its own before a crash). Only the engine's reports of ended cases may
 * arrive on another thread; everything else is the worker's thread alone.
 */
final class CampaignLedger {

    private final int cases;
    /** Case index to case id, for every campaign case known to be in the store. */
    private final Map<Integer, CaseId> known = new HashMap<>();
    /** The other way round. */
    private final Map<CaseId, Integer> indexById = new HashMap<>();
    /** Case index to end state, for the known cases that ended. */
    private final Map<Integer, CaseState> ended = new HashMap<>();
    /** Cases that ended in this JVM, as the engine reported them. */
    private final Map<CaseId, CaseState> endedHere = new ConcurrentHashMap<>();

    /** A ledger of a campaign of cases 0 .. {@code cases} - 1. */
    CampaignLedger(int cases) {
        this.cases = cases;
    }

    /** Notes that case {@code index} is in the store under {@code id}, in {@code state}. */
    void note(int index, CaseId id, CaseState state) {
        if (index < 0) {
            return;
        }
        known.put(index, id);
        indexById.put(id, index);
        if (state.isOpen()) {
            ended.remove(index);
        } else {
            ended.put(index, state);
        }
    }

    /** Whether case {@code index} is known to be in the store. */
    boolean isKnown(int index) {
        return known.containsKey(index);
    }

    /** Whether some case of the campaign is not known to be in the store yet. */
    boolean missesCases() {
        return known.size() < cases;
    }

    /** The engine reported that a case ended; may be called on the engine's thread. */
    void endedHere(CaseId id, CaseState state) {
        endedHere.put(id, state);
    }

    /** Takes in the cases the engine reported ended since the last call. */
    void takeInEndedHere() {
        // One entry at a time: a worker's thread may report another case meanwhile, and a case not known yet
        // (its open still returning) is taken in next time.
        endedHere.forEach((id, state) -> {
            int index = indexById.getOrDefault(id, -1);
            if (index >= 0) {
                ended.put(index, state);
                endedHere.remove(id, state);
            }
        });
    }

    /** Whether every case of the campaign is in the store and ended. */
    boolean allEnded() {
        return known.size() == cases && ended.size() == cases;
    }

    /**
     * Reads every campaign case from the store.
     *
     * @param duplicates told of a case index found under several case ids, with those ids
     * @return the ids of the cases that wait, some perhaps for the merchant's consent
     */
    List<CaseId> reload(CaseStore store, DuplicateCases duplicates) {
        // A set: a case that changes state between two of the reads below is found twice under its one id.
        Map<Integer, Set<String>> idsByIndex = new TreeMap<>();
        List<CaseId> waiting = new ArrayList<>();
        for (CaseState state : CaseState.values()) {
            for (CaseRecord record : store.findByState(state.name(), Integer.MAX_VALUE)) {
                int index = CampaignCases.indexOfTerminal(record.terminalSerial());
                if (index < 0 || index >= cases) {
                    continue;
                }
                idsByIndex.computeIfAbsent(index, ignored -> new LinkedHashSet<>()).add(record.caseId());
                CaseId id = CaseId.of(record.caseId());
                indexById.put(id, index);
                if (record.open()) {
                    known.putIfAbsent(index, id);
                    ended.remove(index);
                } else {
                    known.put(index, id);
                    ended.put(index, state);
                }
                // A waiting case may wait for a person (documents, consent, a decision), with at most a
                // reminder timer set: the worker looks closer at each.
                if (state == CaseState.WAITING) {
                    waiting.add(id);
                }
            }
        }
        idsByIndex.forEach((index, ids) -> {
            if (ids.size() > 1) {
                duplicates.found(index, List.copyOf(ids));
            }
        });
        return waiting;
    }

    /** The counts of a progress line: known, ended and completed cases. */
    String counts() {
        long completed = ended.values().stream().filter(state -> state == CaseState.COMPLETED).count();
        return "known=" + known.size() + "/" + cases + " ended=" + ended.size() + " completed=" + completed;
    }

    /** Up to {@code most} cases nobody has opened yet, lowest first. */
    List<Integer> unopened(int most) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < cases && missing.size() < most; i++) {
            if (!known.containsKey(i)) {
                missing.add(i);
            }
        }
        return missing;
    }

    /** Told of a campaign case found more than once in the store, which must never happen. */
    @FunctionalInterface
    interface DuplicateCases {
        void found(int index, List<String> caseIds);
    }
}
