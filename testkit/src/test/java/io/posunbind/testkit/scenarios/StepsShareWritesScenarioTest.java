package io.posunbind.testkit.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.Document;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxClock;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A terminal is unbound on the happy path. The steps that change nothing at the acquirer (the inventory, the
 * document check, the backup, the fee quote, the wait for settlement, the final check) run back to back and are
 * stored with the case's next write; each change the acquirer makes is sent only once what led to it is stored.
 * The case is written once per change at the acquirer, plus once; and an instance that dies between a change
 * and its write leaves the case to another instance without any change made twice.
 */
class StepsShareWritesScenarioTest {

    private static final String CREDIT_CODE = "91310000MA1FL4B24G";
    private static final String MERCHANT = "M000000001";
    private static final String SERIAL = "SN00000001";
    private static final CaseId CASE = CaseId.of("shared-writes-1");
    /** The adapter calls that change something at the acquirer on this path. */
    private static final Set<String> CHANGES = Set.of("submitApplication", "disableTerminal", "unbindTerminal",
            "decommissionTerminal");

    private final SandboxClock clock = SandboxClock.at(Instant.parse("2026-12-01T02:00:00Z"));
    private final SandboxBackend sandbox = new SandboxBackend(clock);
    private final AtomicInteger caseWrites = new AtomicInteger();
    /** For each change sent, the case as the store held it at that moment. */
    private final Map<String, CaseSnapshot> storedWhenSent = new LinkedHashMap<>();
    private Unbinder unbinder;
    /** Whether the adapters note nothing for their lookups, as most providers' adapters need not. */
    private boolean adaptersNoteNothing;
    /** The adapter call after which this instance dies, once the acquirer has made the change; or null. */
    private String diesAfter;

    /** The instance's process ending abruptly (kill -9): nothing after it runs, nothing is stored. */
    private static final class InstanceDied extends Error {
        InstanceDied() {
            super("the instance died");
        }
    }

    StepsShareWritesScenarioTest() {
        sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        sandbox.addMerchant(MERCHANT, "商户一", CREDIT_CODE, "法人一");
        sandbox.setFees(MERCHANT, List.of());
        sandbox.addTerminal(SERIAL, "PAX A920", MERCHANT);
    }

    @Test
    void aCompletedUnbindIsWrittenOncePerChangeAtTheAcquirerPlusOnce() {
        adaptersNoteNothing = true;

        CaseSnapshot done = open();

        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        assertEquals(List.copyOf(CHANGES).stream().sorted().toList(),
                storedWhenSent.keySet().stream().sorted().toList(), "the changes the acquirer received");
        // Opening; one write before the application (inventory, documents, backup and fees with it); one before
        // disabling (the decision and the settlement with it); unbinding and decommissioning follow without a
        // write (sent again under the same key they change nothing more); one when the case completes; the last
        // clears the delivered events and gives the lease back.
        assertEquals(storedWhenSent.size() + 1, caseWrites.get(), "writes of the case");
    }

    @Test
    void anAdapterThatNotesWhatItsLookupNeedsHasEachChangeStoredBeforeItIsSent() {
        // The sandbox's device adapter notes the terminal's status before each change, for its lookup: the note
        // is stored before the call (write-ahead), and with it what the steps before did.
        CaseSnapshot done = open();

        assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        // Opening, one write before each change, one when the case completes, the last.
        assertEquals(storedWhenSent.size() + 3, caseWrites.get(), "writes of the case");
        assertEquals(1, storedWhenSent.get("unbindTerminal").steps(StepKind.UNBIND_TERMINAL).get(0).attempts(),
                "unbinding is stored as sent before it is sent");
        assertStoredDone(storedWhenSent.get("unbindTerminal"), StepKind.DISABLE_TERMINAL);
    }

    @Test
    void everyChangeAtTheAcquirerIsSentOnlyOnceTheStepsBeforeItAreStored() {
        open();

        assertStoredDone(storedWhenSent.get("submitApplication"), StepKind.TAKE_INVENTORY, StepKind.CHECK_DOCUMENTS,
                StepKind.BACK_UP_TERMINAL_DATA, StepKind.AGREE_FEES);
        assertStoredDone(storedWhenSent.get("disableTerminal"), StepKind.TAKE_INVENTORY, StepKind.CHECK_DOCUMENTS,
                StepKind.BACK_UP_TERMINAL_DATA, StepKind.AGREE_FEES, StepKind.OBTAIN_INSTITUTION_APPROVAL,
                StepKind.AWAIT_SETTLEMENT);
        // Sent again under the same key after a crash, a change the acquirer made already changes nothing more:
        // the steps in between that change nothing need not be stored first.
        assertStoredDone(storedWhenSent.get("decommissionTerminal"), StepKind.AWAIT_SETTLEMENT);
    }

    @Test
    void listenersHearEveryStepOfTheCaseOnceStored() {
        List<String> heard = new ArrayList<>();
        CaseSnapshot done = open(builder -> builder.listener(event -> heard.add(event.getClass().getSimpleName())));

        long finishedSteps = heard.stream().filter("StepFinished"::equals).count();
        assertEquals(done.steps().size(), finishedSteps, "a StepFinished event per step: " + heard);
        assertEquals("CaseFinished", heard.get(heard.size() - 1));
    }

    @Test
    void anInstanceThatDiesAfterChangesItHadNotStoredYetLeavesTheCaseToAnotherWithOneEffectEach() {
        adaptersNoteNothing = true;
        diesAfter = "unbindTerminal";
        CaseStore store = counting(new InMemoryCaseStore());
        Unbinder first = instance(store, "first");
        unbinder = first;
        assertThrows(InstanceDied.class, () -> first.open(CASE, request()));

        // Disabled and unbound at the acquirer; stored as it was when disabling was sent.
        CaseSnapshot stored = first.find(CASE).orElseThrow();
        assertEquals(StepStatus.WAITING, stored.steps(StepKind.DISABLE_TERMINAL).get(0).status(),
                stored.describe(Locale.ENGLISH));
        assertEquals(StepStatus.PLANNED, stored.steps(StepKind.UNBIND_TERMINAL).get(0).status());
        assertEquals(1, sandbox.requests().effectsFor(OperationKind.UNBIND_TERMINAL));

        diesAfter = null;
        clock.advance(Duration.ofHours(1)); // the dead instance's lease runs out
        try (Unbinder second = instance(store, "second")) {
            unbinder = second;
            second.runDueWork();
            CaseSnapshot done = second.find(CASE).orElseThrow();

            assertEquals(CaseState.COMPLETED, done.state(), done.describe(Locale.ENGLISH));
        } finally {
            first.close();
        }
        // Disabling was looked up, unbinding sent again under its key: neither happened twice.
        assertEquals(1, sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(1, sandbox.requests().effectsFor(OperationKind.UNBIND_TERMINAL));
        assertEquals(1, sandbox.requests().effectsFor(OperationKind.DECOMMISSION_TERMINAL));
    }

    private Unbinder instance(CaseStore store, String instanceId) {
        return Unbinder.builder().store(store).provider(watching(new SandboxProvider(sandbox))).clock(clock)
                .instanceId(instanceId).withoutDiscovery().build();
    }

    private CaseSnapshot open() {
        return open(builder -> builder);
    }

    private CaseSnapshot open(UnaryOperator<UnbinderBuilder> settings) {
        CaseStore store = counting(new InMemoryCaseStore());
        unbinder = settings.apply(Unbinder.builder().store(store).provider(watching(new SandboxProvider(sandbox)))
                .clock(clock).withoutDiscovery()).build();
        try (Unbinder closing = unbinder) {
            return closing.open(CASE, request());
        }
    }

    private static void assertStoredDone(CaseSnapshot stored, StepKind... kinds) {
        for (StepKind kind : kinds) {
            for (StepSnapshot step : stored.steps(kind)) {
                assertEquals(StepStatus.DONE, step.status(), kind + " as stored: " + stored.describe(Locale.ENGLISH));
            }
        }
    }

    private static UnbindRequest request() {
        return UnbindRequest.builder().provider(SandboxProvider.ID).merchantNumber(MERCHANT).terminalSerial(SERIAL)
                .reason(UnbindReason.DEVICE_FAULTY).scope(BindingKind.DEVICE).requestedBy(Actor.operator("li.na"))
                .documents(new Document.BusinessLicence(CREDIT_CODE, "商户一"),
                        new Document.TerminalInformation(SERIAL, "PAX A920"))
                .build();
    }

    /** The store, counting the writes of a case: inserts, updates, reschedules and claims. */
    private CaseStore counting(CaseStore store) {
        return (CaseStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CaseStore.class},
                (proxy, method, args) -> {
                    if (Set.of("insert", "update", "reschedule", "claimDue").contains(method.getName())) {
                        caseWrites.incrementAndGet();
                    }
                    return invoke(method, store, args);
                });
    }

    /** The provider, noting the stored case whenever one of its adapters is asked to change something. */
    private PaymentProvider watching(PaymentProvider provider) {
        return wrap(PaymentProvider.class, provider);
    }

    @SuppressWarnings("unchecked")
    private <T> T wrap(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (CHANGES.contains(method.getName())) {
                        storedWhenSent.put(method.getName(), unbinder.find(CASE).orElseThrow());
                    }
                    if (adaptersNoteNothing && method.getName().equals("prepare")) {
                        return Optional.empty();
                    }
                    Object result = invoke(method, target, args);
                    if (method.getName().equals(diesAfter)) {
                        throw new InstanceDied();
                    }
                    if (result instanceof Optional<?> adapter && adapter.isPresent()
                            && method.getReturnType() == Optional.class && method.getName().endsWith("Adapter")) {
                        Class<?> adapterType = (Class<?>) ((ParameterizedType) method
                                .getGenericReturnType()).getActualTypeArguments()[0];
                        return Optional.of(wrap((Class<Object>) adapterType, adapter.get()));
                    }
                    return result;
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
