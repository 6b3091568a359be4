package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What an adapter learns from the engine with every mutating call, and how long the engine counts on the
 * provider remembering an idempotency key: Stripe forgets keys after 24 hours.
 */
class WhatACallKnowsScenarioTest {

    private static final Duration STRIPE_KEY_RETENTION = Duration.ofHours(24);

    private static CaseId open(MerchantCase merchant, InterceptedProvider provider, UnbindRequest request) {
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.unbinder = merchant.builderOn(merchant.store, provider.provider).build();
        return merchant.agreeToFees(merchant.unbinder.open(request)).id();
    }

    /** The disable calls and lookups as the provider saw them, in order. */
    private static List<String> disableCalls(InterceptedProvider provider) {
        synchronized (provider.calls) {
            return provider.calls.stream().filter(name -> name.equals("DeviceUnbindAdapter.disableTerminal")
                    || name.equals("DeviceUnbindAdapter.lookup")).toList();
        }
    }

    /** A sandbox that declares Stripe's key retention and fails the first disable, asking to wait so long. */
    private static InterceptedProvider forgettingKeysAfterADay(MerchantCase merchant, Duration retryAfter) {
        AtomicInteger disables = new AtomicInteger();
        return new InterceptedProvider(new SandboxProvider(merchant.sandbox), (name, args, proceed) -> {
            if (name.equals("PaymentProvider.idempotencyKeyRetention")) {
                return Optional.of(STRIPE_KEY_RETENTION);
            }
            if (name.equals("DeviceUnbindAdapter.disableTerminal") && disables.incrementAndGet() == 1) {
                return OperationOutcome.retryable("503", "Down for maintenance", retryAfter);
            }
            return proceed.call();
        });
    }

    @Test
    void everyCallCarriesTheMerchantTheCasesLanguageATimeBudgetAndADocumentedKey() {
        MerchantCase merchant = new MerchantCase();
        List<OperationContext> contexts = Collections.synchronizedList(new ArrayList<>());
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    for (Object arg : args == null ? new Object[0] : args) {
                        if (arg instanceof OperationContext context) {
                            contexts.add(context);
                        }
                    }
                    return proceed.call();
                });

        CaseId id = open(merchant, provider, fullReplacement().documents(allDocuments()).locale(Locale.ENGLISH)
                .build());
        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertTrue(contexts.size() >= 10, contexts.toString());
        for (OperationContext context : contexts) {
            assertEquals(MERCHANT_NUMBER, context.merchantNumber());
            assertEquals(Locale.ENGLISH, context.locale());
            assertFalse(context.timeBudget().isNegative() || context.timeBudget().isZero());
            assertTrue(context.timeBudget().compareTo(Duration.ofSeconds(30)) <= 0, context.toString());
            // <caseId>.<step>.<round>: within the documented bound, and the same on every retry.
            String key = context.idempotencyKey().value();
            assertTrue(key.matches(id.value() + "\\.[0-9]+\\.[0-9]+") && key.length() <= IdempotencyKey.MAX_LENGTH,
                    key);
            assertEquals(context.kind(), context.operation().kind());
        }
    }

    @Test
    void aResentOperationCarriesTheProvidersEarlierReference() {
        MerchantCase merchant = new MerchantCase();
        List<OperationContext> disables = Collections.synchronizedList(new ArrayList<>());
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("DeviceUnbindAdapter.disableTerminal")) {
                        disables.add((OperationContext) args[0]);
                        if (disables.size() == 1) {
                            return OperationOutcome.pending("ADY-REASSIGN-1", Duration.ofMinutes(1));
                        }
                    }
                    if (name.equals("DeviceUnbindAdapter.lookup")
                            && ((SentOperation) args[0]).kind() == OperationKind.DISABLE_TERMINAL) {
                        return Optional.empty(); // the provider lost the request it had accepted
                    }
                    return proceed.call();
                });

        CaseId id = open(merchant, provider, fullReplacement().documents(allDocuments()).build());
        CaseSnapshot done = merchant.letTimePass(id, Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(2, disables.size());
        assertEquals(Optional.empty(), disables.get(0).earlierProviderReference());
        assertEquals(Optional.of("ADY-REASSIGN-1"), disables.get(1).earlierProviderReference());
        assertEquals(2, disables.get(1).attempt());
        assertEquals(disables.get(0).operation().firstSentAt(), disables.get(1).operation().firstSentAt());
    }

    @Test
    void pastTheProvidersKeyRetentionTheEngineLooksUpBeforeSendingAgain() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider provider = forgettingKeysAfterADay(merchant, Duration.ofHours(25));

        CaseId id = open(merchant, provider, fullReplacement().documents(allDocuments()).build());
        assertTrue(merchant.unbinder.find(id).orElseThrow().isWaitingFor(WaitReason.RETRY));
        CaseSnapshot done = merchant.afterWaiting(id, Duration.ofHours(25));

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(List.of("DeviceUnbindAdapter.disableTerminal", "DeviceUnbindAdapter.lookup",
                "DeviceUnbindAdapter.disableTerminal"), disableCalls(provider));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void withinTheProvidersKeyRetentionTheSameKeyIsSimplySentAgain() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider provider = forgettingKeysAfterADay(merchant, Duration.ofHours(1));

        CaseId id = open(merchant, provider, fullReplacement().documents(allDocuments()).build());
        CaseSnapshot done = merchant.afterWaiting(id, Duration.ofHours(1));

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(List.of("DeviceUnbindAdapter.disableTerminal", "DeviceUnbindAdapter.disableTerminal"),
                disableCalls(provider));
    }

    @Test
    void aProviderThatForgetsKeysIsNeverTrustedWithAResendAfterACrash() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider dying = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> {
                    if (name.equals("PaymentProvider.idempotencyKeyRetention")) {
                        return Optional.of(STRIPE_KEY_RETENTION);
                    }
                    if (name.endsWith(".prepare")) {
                        return Optional.empty(); // an adapter that notes nothing: only the retention counts
                    }
                    Object answer = proceed.call();
                    if (name.equals("DeviceUnbindAdapter.disableTerminal")) {
                        throw new LookupFromWhatTheEngineStoredScenarioTest.ProcessDied();
                    }
                    return answer;
                });
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        merchant.unbinder = merchant.builderOn(merchant.store, dying.provider).build();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertThrows(LookupFromWhatTheEngineStoredScenarioTest.ProcessDied.class, () -> merchant.agreeToFees(opened));
        // Two days later, past the retention: the engine must not count on the provider remembering the key.
        merchant.clock.advance(Duration.ofDays(2));

        InterceptedProvider restarted = forgettingKeysAfterADay(merchant, Duration.ofHours(1));
        merchant.unbinder = merchant.builderOn(merchant.store, restarted.provider).build();
        CaseSnapshot done = merchant.letTimePass(opened.id(), Duration.ofMinutes(1), 10);

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals(List.of("DeviceUnbindAdapter.lookup"), disableCalls(restarted));
        assertEquals(1, merchant.sandbox.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }
}
