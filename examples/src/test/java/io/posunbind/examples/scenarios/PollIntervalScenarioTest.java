package io.posunbind.examples.scenarios;

import static io.posunbind.examples.scenarios.MerchantCase.allDocuments;
import static io.posunbind.examples.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.examples.sandbox.CompletionPolicy;
import io.posunbind.examples.sandbox.SandboxProvider;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What {@code Builder.pollInterval} governs, as its Javadoc says: the engine asks about a pending
 * operation when the provider suggested, and every poll interval only when the provider suggests nothing.
 */
class PollIntervalScenarioTest {

    private static final String ACCOUNT_LOOKUP = "AccountUnbindAdapter.lookup";

    @Test
    void theProvidersSuggestedPollTimeWinsOverThePollInterval() {
        MerchantCase merchant = new MerchantCase(); // the manual policy suggests asking again after 5 minutes
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> proceed.call());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider)
                .pollInterval(Duration.ofMinutes(1)).build();
        CaseSnapshot pending = pendingAccountChange(merchant, unbinder, Duration.ofMinutes(1));

        for (int minute = 1; minute <= 4; minute++) {
            merchant.clock.advance(Duration.ofMinutes(1));
            unbinder.runDueWork();
        }
        assertEquals(0, provider.count(ACCOUNT_LOOKUP), "not asked before the provider's 5 minutes");
        merchant.clock.advance(Duration.ofMinutes(1));
        unbinder.runDueWork();
        assertEquals(1, provider.count(ACCOUNT_LOOKUP));
        assertTrue(unbinder.find(pending.id()).orElseThrow().isWaitingFor(WaitReason.PROVIDER_OPERATION));
    }

    @Test
    void withoutASuggestionThePollIntervalGovernsPolling() {
        MerchantCase merchant = new MerchantCase();
        InterceptedProvider provider = new InterceptedProvider(new SandboxProvider(merchant.sandbox),
                (name, args, proceed) -> proceed.call());
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore(), provider.provider)
                .pollInterval(Duration.ofMinutes(2)).build();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.afterPolls(10)); // pending, no suggested time
        CaseSnapshot pending = pendingAccountChange(merchant, unbinder, Duration.ofMinutes(2));

        merchant.clock.advance(Duration.ofMinutes(1));
        unbinder.runDueWork();
        assertEquals(0, provider.count(ACCOUNT_LOOKUP), "not before the poll interval");
        merchant.clock.advance(Duration.ofMinutes(1));
        unbinder.runDueWork();
        assertEquals(1, provider.count(ACCOUNT_LOOKUP), "asked once the poll interval passed");
        assertTrue(unbinder.find(pending.id()).orElseThrow().isWaitingFor(WaitReason.PROVIDER_OPERATION));
    }

    /** Runs the standard case up to the settlement-account change, which the acquirer keeps pending. */
    private static CaseSnapshot pendingAccountChange(MerchantCase merchant, Unbinder unbinder, Duration poll) {
        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        var quote = opened.feeQuote().orElseThrow();
        unbinder.consentToFees(opened.id(), new io.posunbind.FeeConsent(quote.quoteId(), quote.total(),
                MerchantCase.MERCHANT, merchant.clock.instant()));
        merchant.sandbox.approve(merchant.applicationReference());
        merchant.clock.advance(poll); // the next poll of the institution sees the approval
        unbinder.runDueWork();
        CaseSnapshot pending = unbinder.find(opened.id()).orElseThrow();
        assertTrue(pending.isWaitingFor(WaitReason.PROVIDER_OPERATION), pending.toString());
        return pending;
    }
}
