package io.posunbind.examples.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.examples.remote.RemoteSandboxProvider;
import io.posunbind.examples.remote.SandboxAdminClient;
import io.posunbind.examples.remote.SandboxFleet;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a campaign left behind, read from the store and the sandbox once every worker has stopped:
 * lost and duplicated cases, cases that did not complete, effects at the sandbox per idempotency key and
 * per case, and the sandbox's own state of each merchant.
 *
 * @param cases             the campaign's number of cases
 * @param lost              campaign cases with no case in the store
 * @param duplicateCases    campaign cases with more than one case in the store
 * @param notCompleted      cases not {@code COMPLETED}
 * @param inconsistent      cases whose stored form contradicts itself (a closed case with a timer, a
 *                          completed case with a step not done, the wrong number of peripheral steps)
 * @param totalEffects      effects at the sandbox
 * @param duplicateEffects  idempotency keys that took effect more than once
 * @param orphanEffects     effects for a case id the store does not hold (a case lost after it acted)
 * @param wrongEffectCounts cases with another number of effects than their plan has provider operations
 * @param fleetProblems     merchants the sandbox does not show fully unbound and replaced
 * @param examples          the first few problems, for the failure message
 */
record CampaignVerdict(int cases, int lost, int duplicateCases, int notCompleted, int inconsistent, int totalEffects,
        int duplicateEffects, int orphanEffects, int wrongEffectCounts, int fleetProblems, List<String> examples) {

    private static final int MAX_EXAMPLES = 12;

    /** Reads the verdict; every worker must have stopped. */
    static CampaignVerdict read(CaseStore store, URI sandbox, int cases) {
        List<String> examples = new ArrayList<>();
        Map<Integer, List<CaseRecord>> byIndex = new HashMap<>();
        Map<String, Integer> indexByCaseId = new HashMap<>();
        for (CaseState state : CaseState.values()) {
            for (CaseRecord record : store.findByState(state.name(), Integer.MAX_VALUE)) {
                int index = CampaignCases.indexOfTerminal(record.terminalSerial());
                byIndex.computeIfAbsent(index, ignored -> new ArrayList<>()).add(record);
                indexByCaseId.put(record.caseId(), index);
            }
        }
        int lost = 0;
        int duplicateCases = 0;
        int notCompleted = 0;
        int inconsistent = 0;
        UnbinderBuilder readerBuilder = Unbinder.builder().store(store).provider(new RemoteSandboxProvider(sandbox))
                .withoutDiscovery();
        if (store.defaultDataKeys().isEmpty()) {
            readerBuilder.dataKeys(CampaignWorker.CAMPAIGN_KEYS);
        }
        try (Unbinder reader = readerBuilder.build()) {
            for (int i = 0; i < cases; i++) {
                List<CaseRecord> records = byIndex.getOrDefault(i, List.of());
                if (records.isEmpty()) {
                    lost++;
                    example(examples, "case " + i + " is not in the store");
                    continue;
                }
                if (records.size() > 1) {
                    duplicateCases++;
                    example(examples, "case " + i + " is in the store " + records.size() + " times: "
                            + records.stream().map(r -> r.caseId() + " " + r.state()).toList());
                }
                for (CaseRecord record : records) {
                    CaseSnapshot snapshot = reader.find(CaseId.of(record.caseId())).orElseThrow();
                    if (snapshot.state() != CaseState.COMPLETED) {
                        notCompleted++;
                        example(examples, "case " + i + " (" + record.caseId() + ") is " + snapshot.state() + " "
                                + snapshot.waitingFor().map(Enum::name).orElse("") + " "
                                + snapshot.failureCode().orElse("") + " " + snapshot.failureMessage().orElse(""));
                    }
                    String problem = consistency(i, record, snapshot);
                    if (problem != null) {
                        inconsistent++;
                        example(examples, "case " + i + " (" + record.caseId() + "): " + problem);
                    }
                }
            }
        }
        SandboxAdminClient admin = new SandboxAdminClient(sandbox);
        List<SandboxAdminClient.Effect> effects = admin.effects();
        int totalEffects = 0;
        int duplicateEffects = 0;
        int orphanEffects = 0;
        Map<String, Integer> effectsByCase = new HashMap<>();
        for (SandboxAdminClient.Effect effect : effects) {
            totalEffects += effect.count();
            if (effect.count() > 1) {
                duplicateEffects++;
                example(examples, "key " + effect.key() + " (" + effect.kind() + ") took effect " + effect.count()
                        + " times");
            }
            if (!indexByCaseId.containsKey(effect.caseId())) {
                orphanEffects++;
                example(examples, "key " + effect.key() + " (" + effect.kind() + ") acted for case " + effect.caseId()
                        + ", which the store does not hold");
            }
            effectsByCase.merge(effect.caseId(), effect.count(), Integer::sum);
        }
        int wrongEffectCounts = 0;
        for (Map.Entry<String, Integer> entry : indexByCaseId.entrySet()) {
            int index = entry.getValue();
            if (index < 0 || index >= cases) {
                continue;
            }
            int expected = SandboxFleet.expectedEffects(index);
            int actual = effectsByCase.getOrDefault(entry.getKey(), 0);
            if (actual != expected) {
                wrongEffectCounts++;
                example(examples, "case " + index + " (" + entry.getKey() + ") left " + actual + " effects, expected "
                        + expected);
            }
        }
        List<String> fleet = admin.fleetProblems(0, cases);
        fleet.stream().limit(3).forEach(problem -> example(examples, "sandbox: " + problem));
        return new CampaignVerdict(cases, lost, duplicateCases, notCompleted, inconsistent, totalEffects,
                duplicateEffects, orphanEffects, wrongEffectCounts, fleet.size(), List.copyOf(examples));
    }

    private static String consistency(int index, CaseRecord record, CaseSnapshot snapshot) {
        if (!record.open() && record.wakeAt().isPresent()) {
            return "closed but has a timer at " + record.wakeAt().get();
        }
        if (record.open() != snapshot.state().isOpen() || !record.state().equals(snapshot.state().name())) {
            return "the indexed state " + record.state() + " differs from the document's " + snapshot.state();
        }
        if (snapshot.state() == CaseState.COMPLETED) {
            if (snapshot.steps().stream().anyMatch(step -> step.status() != StepStatus.DONE)) {
                return "completed with steps not done";
            }
            int peripherals = snapshot.steps(StepKind.UNBIND_PERIPHERAL).size();
            if (peripherals != SandboxFleet.peripheralCount(index)) {
                return "planned " + peripherals + " peripheral steps for " + SandboxFleet.peripheralCount(index)
                        + " peripherals";
            }
        }
        return null;
    }

    private static void example(List<String> examples, String problem) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(problem);
        }
    }

    /** Fails with the first problems found, unless the campaign left everything as it should be. */
    void assertClean() {
        String report = summary() + (examples.isEmpty() ? "" : "\n  " + String.join("\n  ", examples));
        assertEquals(0, lost, report);
        assertEquals(0, duplicateEffects, report);
        assertEquals(0, duplicateCases, report);
        assertEquals(0, orphanEffects, report);
        assertEquals(0, notCompleted, report);
        assertEquals(0, inconsistent, report);
        assertEquals(0, wrongEffectCounts, report);
        assertEquals(0, fleetProblems, report);
    }

    /** Whether effects of lost cases are the only problem. */
    boolean onlyOrphanEffects() {
        return orphanEffects > 0 && lost == 0 && duplicateCases == 0 && notCompleted == 0 && inconsistent == 0
                && duplicateEffects == 0 && wrongEffectCounts == 0 && fleetProblems == 0;
    }

    /** The counts on one line. */
    String summary() {
        return "cases=" + cases + " lost=" + lost + " duplicateCases=" + duplicateCases + " notCompleted=" + notCompleted
                + " inconsistent=" + inconsistent + " effects=" + totalEffects + " duplicateEffects=" + duplicateEffects
                + " orphanEffects=" + orphanEffects + " wrongEffectCounts=" + wrongEffectCounts + " fleetProblems="
                + fleetProblems;
    }
}
