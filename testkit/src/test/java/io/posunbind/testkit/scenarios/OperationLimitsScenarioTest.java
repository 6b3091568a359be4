package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.FeeConsent;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.UnbindRequest;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.WorkerOptions;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.CallLimit;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.model.Document;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Limits per operation (issue 12, point 3, as real APIs limit per endpoint): an acquirer that allows its
 * terminal unbind three times a minute, and its API as a whole 40 calls a second. A chain's terminals are
 * unbound by a many-threaded worker: no minute ever sees a fourth unbind, while every other call of every
 * case (reads, the application, peripherals, disables, decommissions) goes on at the API's pace; the
 * acquirer's 429 to an unbind holds back unbinds only; and three instances on one PostgreSQL keep the three a
 * minute between them. Time is the merchant's hand-moved clock; calls are counted at the acquirer.
 */
class OperationLimitsScenarioTest {

    private static final String UNBIND_TERMINAL = "DeviceUnbindAdapter.unbindTerminal";
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration TICK = Duration.ofMillis(250);
    private static final ProviderLimits DECLARED = ProviderLimits.of(40, 0)
            .withOperation(OperationKind.UNBIND_TERMINAL, CallLimit.perMinute(3));

    private final MerchantCase merchant = new MerchantCase();
    /** When each call reached the acquirer (the merchant's clock), by method, from every instance. */
    private final Map<String, List<Instant>> received = new ConcurrentHashMap<>();
    private volatile Instant refused429At;

    @Test
    void nineTerminalsAreUnboundThreeAMinuteWhileEveryOtherCallOfTheirCasesGoesOnAtTheApisPace() throws Exception {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), countingAcquirer(false))
                .commandWait(WaitPolicy.none()).build();
        List<CaseId> cases = openAndAgree(unbinder, 9);

        try (UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(6).batchSize(9).build())) {
            for (int tick = 0; tick < 2_400 && !allUnbound(unbinder, cases); tick++) {
                worker.runDueWorkOnce();
                merchant.clock.advance(TICK);
            }
        }

        assertTrue(allUnbound(unbinder, cases), "every terminal was unbound in the end: " + received.keySet());
        assertEquals(9, calls(UNBIND_TERMINAL).size());
        assertEquals(3, mostInAnyWindow(calls(UNBIND_TERMINAL), MINUTE), "three a minute, kept and used");
        assertTrue(mostInAnyWindow(allCalls(), Duration.ofSeconds(1)) <= 40, "the API's limit holds for every call");
        // Not slowed to the unbind's pace: each case's disable (the step before) went out within seconds of the
        // first, though their unbinds took three minutes; at three a minute the last would have waited that long.
        List<Instant> disables = calls("DeviceUnbindAdapter.disableTerminal");
        assertEquals(9, disables.size());
        assertTrue(Duration.between(disables.get(0), disables.get(8)).compareTo(Duration.ofSeconds(10)) < 0,
                "disables: " + disables);
        List<Instant> unbinds = calls(UNBIND_TERMINAL);
        assertTrue(Duration.between(unbinds.get(0), unbinds.get(8)).compareTo(Duration.ofMinutes(2)) >= 0,
                "unbinds: " + unbinds);
        unbinder.close();
    }

    @Test
    void theAcquirersRetryAfterToAnUnbindHoldsBackUnbindsOnlyWhileOtherCasesGoOn() throws Exception {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), countingAcquirer(true))
                .commandWait(WaitPolicy.none()).build();
        List<CaseId> first = openAndAgree(unbinder, 2);
        for (int tick = 0; tick < 400 && refused429At == null; tick++) {
            unbinder.runDueWork();
            merchant.clock.advance(TICK);
        }
        Instant pausedAt = refused429At;
        int unbindsBefore = calls(UNBIND_TERMINAL).size();

        // During the acquirer's 60 seconds, new cases take their inventory and reach their unbind...
        List<CaseId> later = openAndAgree(unbinder, 3, 20);
        for (int tick = 0; tick < 50; tick++) {
            unbinder.runDueWork();
            merchant.clock.advance(TICK);
        }
        assertTrue(calls("DeviceUnbindAdapter.readTerminal").stream().anyMatch(at -> at.isAfter(pausedAt)));
        assertTrue(calls("DeviceUnbindAdapter.disableTerminal").stream().anyMatch(at -> at.isAfter(pausedAt)),
                "other operations go on");
        // ...but no unbind is sent before the Retry-After has passed.
        assertEquals(unbindsBefore, calls(UNBIND_TERMINAL).size());
        assertEquals(Optional.empty(), unbinder.providerLimitStats(SandboxProvider.ID).pausedUntil(),
                "the acquirer as a whole is not paused");

        for (int tick = 0; tick < 1_200 && !allUnbound(unbinder, later); tick++) {
            unbinder.runDueWork();
            merchant.clock.advance(TICK);
        }
        assertTrue(allUnbound(unbinder, later) && allUnbound(unbinder, first));
        assertTrue(calls(UNBIND_TERMINAL).stream().skip(unbindsBefore).allMatch(at -> !at.isBefore(pausedAt.plusSeconds(60))),
                "after the Retry-After: " + calls(UNBIND_TERMINAL));
        unbinder.close();
    }

    @Test
    void threeInstancesOnOnePostgresTogetherNeverUnbindMoreThanThreeTimesInAnyMinute() throws Exception {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        DataKeyProvider keys = StaticDataKeyProvider.of(DataKey.generate("cluster", new SecureRandom()));
        List<JdbcCaseStore> stores = new ArrayList<>();
        List<Unbinder> instances = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            for (String id : List.of("instance-a", "instance-b", "instance-c")) {
                JdbcCaseStore store = JdbcCaseStore.create(postgres.getPostgresDatabase());
                stores.add(store);
                instances.add(merchant.builderOn(store, countingAcquirer(false)).instanceId(id).dataKeys(keys)
                        .commandWait(WaitPolicy.none()).build());
            }
            List<CaseId> cases = openAndAgree(instances.get(0), 8);
            for (int tick = 0; tick < 2_400 && !allUnbound(instances.get(0), cases); tick++) {
                for (int i = 0; i < instances.size(); i++) {
                    instances.get((tick + i) % instances.size()).runDueWork(2); // each first in turn
                }
                merchant.clock.advance(TICK);
            }
            assertTrue(allUnbound(instances.get(0), cases), "every terminal was unbound in the end");
            assertTrue(mostInAnyWindow(calls(UNBIND_TERMINAL), MINUTE) <= 3, "at most three unbinds in any minute over"
                    + " three instances: " + calls(UNBIND_TERMINAL));
            for (Unbinder instance : instances) {
                assertEquals(3, instance.providerLimitStats(SandboxProvider.ID).liveInstances());
            }
        } finally {
            instances.forEach(Unbinder::close);
            stores.forEach(JdbcCaseStore::close);
        }
    }

    @Test
    void aMerchantAccountsOwnQuotasReplaceTheDeclaredOnesOneByOneWithoutLiftingTheOthers() {
        Unbinder raisedApi = merchant.builderOn(new InMemoryCaseStore(), countingAcquirer(false))
                .providerLimits(SandboxProvider.ID, ProviderLimits.of(100, 10)).build();
        raisedApi.open(deviceOnly("0820000001")); // loads the provider
        assertEquals(ProviderLimits.of(100, 10).withOperation(OperationKind.UNBIND_TERMINAL, CallLimit.perMinute(3)),
                raisedApi.providerLimitStats(SandboxProvider.ID).limits(), "a higher API rate keeps the unbind's limit");
        raisedApi.close();

        Unbinder raisedUnbind = merchant.builderOn(new InMemoryCaseStore(), countingAcquirer(false))
                .operationLimit(SandboxProvider.ID, OperationKind.UNBIND_TERMINAL, CallLimit.perMinute(10)).build();
        raisedUnbind.open(deviceOnly("0820000001"));
        assertEquals(ProviderLimits.of(40, 0).withOperation(OperationKind.UNBIND_TERMINAL, CallLimit.perMinute(10)),
                raisedUnbind.providerLimitStats(SandboxProvider.ID).limits(), "the API's rate stays as declared");
        raisedUnbind.close();
    }

    /** The sandbox declaring {@link #DECLARED}, recording each call; answers 429 (60 s) to the first unbind if told. */
    private PaymentProvider countingAcquirer(boolean refuseFirstUnbind) {
        return new InterceptedProvider(new SandboxProvider(merchant.sandbox), (name, args, proceed) -> {
            if (name.equals("PaymentProvider.callLimits")) {
                return DECLARED;
            }
            if (name.startsWith("PaymentProvider.") || name.startsWith("CallbackParser.")) {
                return proceed.call();
            }
            if (name.equals(UNBIND_TERMINAL) && refuseFirstUnbind && refused429At == null) {
                refused429At = merchant.clock.instant(); // nothing done: "429 Too Many Requests, Retry-After: 60"
                return OperationOutcome.rateLimited("429", "too many requests", MINUTE);
            }
            received.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>()).add(merchant.clock.instant());
            return proceed.call();
        }).provider;
    }

    private List<CaseId> openAndAgree(Unbinder unbinder, int count) {
        return openAndAgree(unbinder, count, 0);
    }

    /** {@code count} device-only cases at the sandbox, past the merchant's fee consent (the inventory run first). */
    private List<CaseId> openAndAgree(Unbinder unbinder, int count, int from) {
        List<CaseId> cases = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String serial = String.format("08500%05d", i);
            merchant.sandbox.addTerminal(serial, "PAX A920", SandboxDemoData.MERCHANT_NUMBER);
            cases.add(unbinder.open(deviceOnly(serial), WaitPolicy.none()).id());
        }
        for (int tick = 0; tick < 100 && !cases.stream().allMatch(id -> waitingForFees(unbinder, id)); tick++) {
            unbinder.runDueWork();
            merchant.clock.advance(TICK);
        }
        for (CaseId id : cases) {
            CaseSnapshot quoted = unbinder.find(id).orElseThrow();
            var quote = quoted.feeQuote().orElseThrow(() -> new AssertionError(quoted.toString()));
            unbinder.consentToFees(id, new FeeConsent(quote.quoteId(), quote.total(), MerchantCase.MERCHANT,
                    merchant.clock.instant()));
        }
        return cases;
    }

    private static boolean waitingForFees(Unbinder unbinder, CaseId id) {
        return unbinder.find(id).orElseThrow().isWaitingFor(WaitReason.FEE_CONSENT);
    }

    private static boolean allUnbound(Unbinder unbinder, List<CaseId> cases) {
        return cases.stream().allMatch(id -> unbinder.find(id).orElseThrow().steps(StepKind.UNBIND_TERMINAL).get(0)
                .status() == StepStatus.DONE);
    }

    private List<Instant> calls(String name) {
        return received.getOrDefault(name, List.of()).stream().sorted().toList();
    }

    private List<Instant> allCalls() {
        return received.values().stream().flatMap(List::stream).sorted().toList();
    }

    /** The most calls any one window of this length held, wherever it starts. */
    private static int mostInAnyWindow(List<Instant> sorted, Duration window) {
        int most = 0;
        for (int first = 0, last = 0; last < sorted.size(); last++) {
            while (!sorted.get(first).plus(window).isAfter(sorted.get(last))) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** A device-only request, with the terminal's own information among the documents. */
    private static UnbindRequest deviceOnly(String serial) {
        List<Document> documents = allDocuments().stream().map(document -> document instanceof
                Document.TerminalInformation ? new Document.TerminalInformation(serial, "PAX A920") : document).toList();
        return MerchantCase.request().terminalSerial(serial).scope(BindingKind.DEVICE).documents(documents).build();
    }
}
