package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.FeeConsent;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.testkit.app.TestClock;
import io.posunbind.testkit.app.UnbinderTestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * What {@code Builder.pollInterval} governs, as its Javadoc says: the engine asks about a pending
 * operation when the provider suggested, and every poll interval only when the provider suggests nothing.
 * Written as an application developer would, on the test kit's {@link UnbinderTestEnvironment}.
 */
class PollIntervalScenarioTest {

    private static final String ACCOUNT_LOOKUP = "AccountUnbindAdapter.lookup";

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-25T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private final SandboxBackend sandbox = SandboxDemoData.seed(new SandboxBackend(clock));
    private final InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(sandbox),
            (name, args, proceed) -> proceed.call());

    @Test
    void theProvidersSuggestedPollTimeWinsOverThePollInterval() {
        // The manual policy suggests asking again after 5 minutes.
        try (UnbinderTestEnvironment env = environment(Duration.ofMinutes(1))) {
            CaseSnapshot pending = pendingAccountChange(env, Duration.ofMinutes(1));

            env.advanceInSteps(Duration.ofMinutes(1), Duration.ofMinutes(4));
            assertEquals(0, provider.count(ACCOUNT_LOOKUP), "not asked before the provider's 5 minutes");
            env.advanceAndRun(Duration.ofMinutes(1));
            assertEquals(1, provider.count(ACCOUNT_LOOKUP));
            assertTrue(env.snapshot(pending.id()).isWaitingFor(WaitReason.PROVIDER_OPERATION));
        }
    }

    @Test
    void withoutASuggestionThePollIntervalGovernsPolling() {
        try (UnbinderTestEnvironment env = environment(Duration.ofMinutes(2))) {
            sandbox.setCompletionPolicy(CompletionPolicy.afterPolls(10)); // pending, no suggested time
            CaseSnapshot pending = pendingAccountChange(env, Duration.ofMinutes(2));

            env.advanceAndRun(Duration.ofMinutes(1));
            assertEquals(0, provider.count(ACCOUNT_LOOKUP), "not before the poll interval");
            env.advanceAndRun(Duration.ofMinutes(1));
            assertEquals(1, provider.count(ACCOUNT_LOOKUP), "asked once the poll interval passed");
            assertTrue(env.snapshot(pending.id()).isWaitingFor(WaitReason.PROVIDER_OPERATION));
        }
    }

    private UnbinderTestEnvironment environment(Duration pollInterval) {
        return UnbinderTestEnvironment.builder().clock(clock).provider(provider.provider)
                .configure(builder -> builder.pollInterval(pollInterval).listener(new CarelessHost()))
                .build();
    }

    /** Runs the standard case up to the settlement-account change, which the acquirer keeps pending. */
    private CaseSnapshot pendingAccountChange(UnbinderTestEnvironment env, Duration poll) {
        CaseSnapshot opened = env.unbinder().open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        env.unbinder().consentToFees(opened.id(), new FeeConsent(quote.quoteId(), quote.total(),
                MerchantCase.MERCHANT, clock.instant()));
        sandbox.reviews().approve(sandbox.reviews().pendingReferences().stream()
                .filter(reference -> sandbox.reviews().application(reference).isPresent()).findFirst().orElseThrow());
        env.advanceAndRun(poll); // the next poll of the institution sees the approval
        CaseSnapshot pending = env.snapshot(opened.id());
        assertTrue(pending.isWaitingFor(WaitReason.PROVIDER_OPERATION), pending.toString());
        return pending;
    }
}
