package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.model.TerminalStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A provider engineer writes an adapter for a provider that cannot be asked "what happened to key K"
 * (Adyen's Management API): the adapter keeps no journal of its own, because the engine stores what a
 * lookup needs before every call and hands it back, also to another instance in a new process.
 */
class LookupFromWhatTheEngineStoredScenarioTest {

    /** The process dies in the middle of a provider call: nothing the engine meant to do after it happens. */
    static final class ProcessDied extends Error {
        private static final long serialVersionUID = 1L;

        ProcessDied() {
            super("the JVM died while the provider call was under way", null, false, false);
        }
    }

    /** Instance A: the sandbox disables the terminal, then A dies before it learns the answer. */
    private static CaseSnapshot openAndDieWhileDisabling(MerchantCase merchant) {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        InterceptedProvider dying = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    Object answer = proceed.call();
                    if (name.equals("DeviceUnbindAdapter.disableTerminal")) {
                        throw new ProcessDied();
                    }
                    return answer;
                });
        merchant.unbinder = merchant.builderOn(merchant.store, dying.provider).build();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertThrows(ProcessDied.class, () -> merchant.agreeToFees(opened));
        assertEquals(TerminalStatus.DISABLED, merchant.sandbox.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        return opened;
    }

    /** Instance B: a new process with a fresh provider instance on the same store, recording its lookups. */
    private static InterceptedProvider restartWithAFreshProvider(MerchantCase merchant, List<SentOperation> asked) {
        InterceptedProvider fresh = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("DeviceUnbindAdapter.lookup")) {
                        asked.add((SentOperation) args[0]);
                    }
                    return proceed.call();
                });
        merchant.unbinder = merchant.builderOn(merchant.store, fresh.provider).build();
        return fresh;
    }

    @Test
    void anInstanceThatDiesDuringTheCallLeavesEverythingTheNextInstancesLookupNeeds() {
        MerchantCase merchant = new MerchantCase();
        Instant sentAt = merchant.clock.instant();
        CaseSnapshot opened = openAndDieWhileDisabling(merchant);

        List<SentOperation> asked = Collections.synchronizedList(new ArrayList<>());
        InterceptedProvider fresh = restartWithAFreshProvider(merchant, asked);
        CaseSnapshot done = merchant.letTimePass(opened.id(), Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        int step = done.steps(StepKind.DISABLE_TERMINAL).get(0).number();
        SentOperation disable = asked.stream().filter(operation -> operation.kind() == OperationKind.DISABLE_TERMINAL)
                .findFirst().orElseThrow(() -> new AssertionError("B never looked the disable up: " + asked));
        assertEquals(opened.id().value() + "." + step + ".1", disable.idempotencyKey().value());
        assertEquals(OperationTarget.terminal(MERCHANT_NUMBER, TERMINAL_SERIAL), disable.target());
        assertEquals(Map.of(), disable.arguments());
        assertEquals(sentAt, disable.firstSentAt());
        assertEquals(Optional.empty(), disable.providerReference());
        // The note the sandbox's adapter attached before A's call was stored before that call.
        assertEquals(Optional.of("statusBefore=ACTIVE"), disable.adapterNote());
        // B asked instead of sending again: one effect at the provider.
        assertEquals(0, fresh.count("DeviceUnbindAdapter.disableTerminal"));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aNoteTooLongToStoreWithTheCaseSendsNothing() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        InterceptedProvider verbose = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> name.equals("DeviceUnbindAdapter.prepare")
                        && ((SentOperation) args[0]).kind() == OperationKind.DISABLE_TERMINAL
                        ? Optional.of("x".repeat(SentOperation.MAX_NOTE_LENGTH + 1)) : proceed.call());
        merchant.unbinder = merchant.builderOn(merchant.store, verbose.provider).build();

        CaseSnapshot waiting = merchant.agreeToFees(
                merchant.unbinder.open(fullReplacement().documents(allDocuments()).build()));

        assertTrue(waiting.isWaitingFor(WaitReason.RETRY), waiting.toString());
        assertEquals(0, verbose.count("DeviceUnbindAdapter.disableTerminal"));
        assertTrue(waiting.steps(StepKind.DISABLE_TERMINAL).get(0).lastMessage().orElseThrow()
                .contains("at most " + SentOperation.MAX_NOTE_LENGTH), waiting.toString());
    }

    @Test
    void aProviderThatForgotTheKeyIsAskedAboutTheTerminalWithTheNoteTheEngineStored() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = openAndDieWhileDisabling(merchant);
        // The provider keeps no record of keys (or no longer): only the terminal itself tells what happened.
        merchant.sandbox.requests().forgetRequests();

        List<SentOperation> asked = Collections.synchronizedList(new ArrayList<>());
        InterceptedProvider fresh = restartWithAFreshProvider(merchant, asked);
        CaseSnapshot done = merchant.letTimePass(opened.id(), Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        String reference = done.steps(StepKind.DISABLE_TERMINAL).get(0).providerReference().orElseThrow();
        assertTrue(reference.startsWith("SBX-FOUND-"), reference);
        assertEquals(0, fresh.count("DeviceUnbindAdapter.disableTerminal"));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }
}
