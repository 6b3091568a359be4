package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.i18n.Messages;
import io.posunbind.spi.LocalizedText;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.TerminalStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A provider engineer maps a real API's answers (Adyen's Management API, Stripe Terminal) to outcomes
 * without inventing anything: an empty 200 for an asynchronous reassignment, a 429 with Retry-After, a 409
 * while the terminal is being reassigned, a refusal with the provider's request id.
 */
class ProviderOutcomesScenarioTest {

    private static final LocalizedText RETURN_THE_TERMINAL = LocalizedText.of(
            "Return the terminal through the Customer Area", "请在客户后台退回终端");

    /** The sandbox behind an interceptor, with approval at once; the case is opened and the fees agreed. */
    private static CaseId openWith(MerchantCase merchant, InterceptedProvider.Interceptor interceptor,
            InterceptedProvider[] provider) {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        provider[0] = new InterceptedProvider(new SandboxProvider(merchant.sandbox), interceptor);
        merchant.unbinder = merchant.builderOn(merchant.store, provider[0].provider).build();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        return merchant.agreeToFees(opened).id();
    }

    private static boolean lookupOf(String name, Object[] args, OperationKind kind) {
        return name.equals("DeviceUnbindAdapter.lookup") && ((SentOperation) args[0]).kind() == kind;
    }

    /** The device calls as the provider saw them, in order. */
    private static List<String> disableCalls(InterceptedProvider provider) {
        synchronized (provider.calls) {
            return provider.calls.stream().filter(name -> name.equals("DeviceUnbindAdapter.disableTerminal")
                    || name.equals("DeviceUnbindAdapter.lookup")).toList();
        }
    }

    @Test
    void anAsynchronousUnbindAnsweredWithAnEmpty200IsFollowedByItsKeyAndTellsOperatorsWhatToDo() {
        MerchantCase merchant = new MerchantCase();
        AtomicInteger lookups = new AtomicInteger();
        SentOperation[] asked = new SentOperation[1];
        InterceptedProvider[] provider = new InterceptedProvider[1];
        CaseId id = openWith(merchant, (name, args, proceed) -> {
            if (name.equals("DeviceUnbindAdapter.unbindTerminal")) {
                proceed.call(); // the provider starts the work and answers with no reference at all
                return OperationOutcome.pending(Duration.ofMinutes(10)).withOperatorNote(RETURN_THE_TERMINAL);
            }
            if (lookupOf(name, args, OperationKind.UNBIND_TERMINAL)) {
                asked[0] = (SentOperation) args[0];
                if (lookups.incrementAndGet() == 1) {
                    return Optional.of(OperationOutcome.pending(Duration.ofMinutes(10))
                            .withOperatorNote(RETURN_THE_TERMINAL));
                }
            }
            return proceed.call();
        }, provider);

        CaseSnapshot waiting = merchant.unbinder.find(id).orElseThrow();
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION), waiting.toString());
        StepSnapshot unbind = waiting.steps(StepKind.UNBIND_TERMINAL).get(0);
        assertEquals(Optional.empty(), unbind.providerReference());
        assertEquals(Optional.of(RETURN_THE_TERMINAL), unbind.operatorNote());
        assertTrue(waiting.describe(Locale.SIMPLIFIED_CHINESE).contains("请在客户后台退回终端"),
                waiting.describe(Locale.SIMPLIFIED_CHINESE));
        assertTrue(waiting.describe(Locale.ENGLISH).contains("Return the terminal through the Customer Area"),
                waiting.describe(Locale.ENGLISH));

        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(10), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        // Polled by its key alone, and sent once.
        assertEquals(id.value() + "." + unbind.number() + ".1", asked[0].idempotencyKey().value());
        assertEquals(Optional.empty(), asked[0].providerReference());
        assertEquals(1, provider[0].count("DeviceUnbindAdapter.unbindTerminal"));
        assertEquals(Optional.empty(), done.steps(StepKind.UNBIND_TERMINAL).get(0).operatorNote());
    }

    @Test
    void aPendingOperationWithoutReferenceIsCompletedByACallbackThatNamesItsKey() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider[] provider = new InterceptedProvider[1];
        CaseId id = openWith(merchant, (name, args, proceed) -> {
            if (name.equals("DeviceUnbindAdapter.unbindTerminal")) {
                proceed.call();
                return OperationOutcome.pending(Duration.ofHours(1));
            }
            return proceed.call();
        }, provider);
        CaseSnapshot waiting = merchant.unbinder.find(id).orElseThrow();
        int step = waiting.steps(StepKind.UNBIND_TERMINAL).get(0).number();

        merchant.unbinder.completeOperation(id, OPERATOR, id.value() + "." + step + ".1",
                OperationOutcome.done("ADY-NOTIFICATION-1"));
        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(Optional.of("ADY-NOTIFICATION-1"),
                done.steps(StepKind.UNBIND_TERMINAL).get(0).providerReference());
    }

    @Test
    void aThrottledCallIsSentAgainNotBeforeTheProvidersRetryAfterWithItsRequestIdOnRecord() {
        MerchantCase merchant = new MerchantCase();
        AtomicInteger disables = new AtomicInteger();
        InterceptedProvider[] provider = new InterceptedProvider[1];
        CaseId id = openWith(merchant, (name, args, proceed) -> {
            if (name.equals("DeviceUnbindAdapter.disableTerminal") && disables.incrementAndGet() == 1) {
                return OperationOutcome.rateLimited("429", "Too Many Requests", Duration.ofMinutes(7))
                        .withRequestId("req_7Hq2");
            }
            return proceed.call();
        }, provider);
        Instant throttledAt = merchant.clock.instant();

        CaseSnapshot throttled = merchant.unbinder.find(id).orElseThrow();
        assertTrue(throttled.isWaitingFor(WaitReason.RETRY), throttled.toString());
        assertEquals(Optional.of(throttledAt.plus(Duration.ofMinutes(7))), throttled.wakeAt());
        StepSnapshot disable = throttled.steps(StepKind.DISABLE_TERMINAL).get(0);
        assertEquals(Optional.of(StandardErrorCode.RATE_LIMITED.code()), disable.lastCode());
        assertTrue(disable.lastMessage().orElseThrow().contains("req_7Hq2"), disable.toString());

        merchant.afterWaiting(id, Duration.ofMinutes(6));
        assertEquals(1, provider[0].count("DeviceUnbindAdapter.disableTerminal"));
        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(2, provider[0].count("DeviceUnbindAdapter.disableTerminal"));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aRefusedOperationIsNeverSentAgainAndOperatorsSeeTheProvidersRequestId() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider[] provider = new InterceptedProvider[1];
        CaseId id = openWith(merchant, (name, args, proceed) -> {
            if (name.equals("DeviceUnbindAdapter.disableTerminal")) {
                return OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "422",
                        "Terminal is assigned to another account").withRequestId("req_9Zt1");
            }
            return proceed.call();
        }, provider);

        CaseSnapshot failed = merchant.letTimePass(id, Duration.ofHours(1), 48);

        assertEquals(CaseState.FAILED, failed.state(), failed.toString());
        assertTrue(failed.failureMessage().orElseThrow().contains("req_9Zt1"), failed.toString());
        assertEquals(List.of("DeviceUnbindAdapter.disableTerminal"), disableCalls(provider[0]));
        assertEquals(0, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void aRefusalFoundByTheLookupAfterATimeoutIsNotSentAgainEither() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider[] provider = new InterceptedProvider[1];
        CaseId id = openWith(merchant, (name, args, proceed) -> {
            if (name.equals("DeviceUnbindAdapter.disableTerminal")) {
                return OperationOutcome.unknown("read timed out after 30 s");
            }
            if (lookupOf(name, args, OperationKind.DISABLE_TERMINAL)) {
                return Optional.of(OperationOutcome.rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "422",
                        "Terminal is assigned to another account"));
            }
            return proceed.call();
        }, provider);

        CaseSnapshot failed = merchant.letTimePass(id, Duration.ofHours(1), 48);

        assertEquals(CaseState.FAILED, failed.state(), failed.toString());
        assertEquals(List.of("DeviceUnbindAdapter.disableTerminal", "DeviceUnbindAdapter.lookup"),
                disableCalls(provider[0]));
    }

    @Test
    void anOperationStillInProgressIsLookedUpBeforeItIsSentAgain() {
        MerchantCase merchant = new MerchantCase();
        AtomicInteger disables = new AtomicInteger();
        InterceptedProvider[] provider = new InterceptedProvider[1];
        CaseId id = openWith(merchant, (name, args, proceed) -> {
            if (name.equals("DeviceUnbindAdapter.disableTerminal") && disables.incrementAndGet() == 1) {
                return OperationOutcome.rejected(StandardErrorCode.OPERATION_IN_PROGRESS, "409",
                        "A reassignment of this terminal is in progress");
            }
            return proceed.call();
        }, provider);

        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(List.of("DeviceUnbindAdapter.disableTerminal", "DeviceUnbindAdapter.lookup",
                "DeviceUnbindAdapter.disableTerminal"), disableCalls(provider[0]));
    }

    @Test
    void aTerminalBeingReassignedIsNamedSoInBothLanguages() {
        assertEquals("Being moved at the provider (reassignment in progress)",
                Messages.forLocale(Locale.ENGLISH).name(TerminalStatus.IN_TRANSITION));
        assertEquals("正在服务商处迁移（重新分配进行中）",
                Messages.forLocale(Locale.SIMPLIFIED_CHINESE).name(TerminalStatus.IN_TRANSITION));
    }
}
