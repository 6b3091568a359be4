package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.posunbind.spi.API;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.MerchantInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The merchant-info part of {@link PaymentProviderContract}: the merchant info read, and its deletion
 * ({@code DELETE_MERCHANT_INFO}) or, where the provider offers only that, the detaching of a terminal
 * ({@code MODIFY_MERCHANT_INFO}) sent through the merchant-info adapter on merchants from
 * {@link BackendFaults#seedMerchantInfo()}. Every check runs when the provider declares
 * {@code MERCHANT_INFO_UNBIND} and offers one of the operations, and is skipped with that reason otherwise.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public abstract class MerchantInfoContract extends AccountContract {

    /** Only {@link PaymentProviderContract} extends it, in this package: extend that. */
    MerchantInfoContract() {
    }

    /**
     * readMerchantInfo answers the seeded merchant, empty for a merchant the backend does not know, and
     * nothing it answers carries a clear number or a secret.
     */
    @Test
    public void readingMerchantInfoAnswersTheMerchantAskedFor() {
        MerchantInfoAdapter merchants = merchantInfo(newProvider());
        String merchant = Binding.merchantInfo().seed(backend());
        Optional<MerchantInfo> info = merchants.readMerchantInfo(merchant);
        assertEquals(Optional.of(merchant), info.map(MerchantInfo::merchantNumber),
                "readMerchantInfo must answer the merchant asked for, answered " + info.map(i -> "merchant "
                        + i.merchantNumber()).orElse("empty"));
        SecretScan scan = new SecretScan(secrets());
        scan.scan("readMerchantInfo", info.toString());
        try {
            String unknown = backend().unknownMerchant();
            Optional<MerchantInfo> none = merchants.readMerchantInfo(unknown);
            assertEquals(Optional.empty(), none, "readMerchantInfo of a merchant the backend does not know must"
                    + " answer empty");
        } catch (UnsupportedOperationException e) {
            // The unknown merchant is optional; the rest of the check stands.
        }
        List<String> findings = scan.findings();
        assertTrue(findings.isEmpty(), "the merchant-info read lets out:\n" + String.join("\n", findings));
    }

    /** A 500, 429, reset, timeout or slow answer to the merchant-info operation is an outcome, never thrown. */
    @Test
    public void merchantInfoChangeAnswersInsteadOfThrowingForHttpErrors() {
        new OutcomeChecks(this, Binding.merchantInfo()).httpErrorsAreAnswered();
    }

    /** A 429 is a RetryableFailure with the provider's Retry-After, and changes nothing. */
    @Test
    public void merchantInfoChangeRateLimitingIsRetryableAfterTheProvidersRetryAfter() {
        new OutcomeChecks(this, Binding.merchantInfo()).rateLimitingWaitsForRetryAfter();
    }

    /** A merchant-info change whose answer was lost is Unknown. */
    @Test
    public void merchantInfoChangeTimeoutIsUnknown() {
        new OutcomeChecks(this, Binding.merchantInfo()).timeoutIsUnknown();
    }

    /** After a lost answer, lookup finds the one change from what the engine persisted alone. */
    @Test
    public void merchantInfoLookupAfterUnknownFindsTheOneEffect() {
        new LookupChecks(this, Binding.merchantInfo()).lookupAfterUnknownFindsTheEffect();
    }

    /** A merchant-info change never sent (or lost before it arrived) looks up as empty. */
    @Test
    public void merchantInfoLookupOfANeverSentKeyIsEmpty() {
        new LookupChecks(this, Binding.merchantInfo()).lookupOfANeverSentKeyIsEmpty();
    }

    /** One key is one change: de-duplicated, or found by lookup before any resend. */
    @Test
    public void merchantInfoChangeOneKeyIsOneEffect() {
        new LookupChecks(this, Binding.merchantInfo()).oneKeyIsOneEffect();
    }

    /** A change under review is Pending with the provider's reference, stable until it looks up as Done. */
    @Test
    public void merchantInfoChangePendingResolvesWithAStableReference() {
        new OutcomeChecks(this, Binding.merchantInfo()).pendingKeepsItsReference();
    }

    /** A refused change is Rejected with stable codes, and stays refused under its key. */
    @Test
    public void merchantInfoChangeRejectedCarriesAStableCode() {
        new OutcomeChecks(this, Binding.merchantInfo()).rejectedKeepsItsCodes();
    }

    /** No secret or clear number in the change's answers, under faults, in the note or in lookups. */
    @Test
    public void merchantInfoChangeLetsOutNoSecretOrClearNumber() {
        PaymentProvider provider = newProvider();
        SecretScan scan = new SecretScan(secrets());
        new OutcomeChecks(this, Binding.merchantInfo()).scanCalls(scan, provider);
        List<String> findings = scan.findings();
        assertTrue(findings.isEmpty(), "the merchant-info change lets out:\n" + String.join("\n", findings));
    }

    /** Concurrent merchant-info changes on distinct merchants each take effect once and are each found. */
    @Test
    public void merchantInfoChangesAreThreadSafeUnderConcurrency() throws InterruptedException {
        new LookupChecks(this, Binding.merchantInfo()).callsAreThreadSafe();
    }

    private static MerchantInfoAdapter merchantInfo(PaymentProvider provider) {
        Binding binding = Binding.merchantInfo();
        if (!provider.capabilities().contains(binding.capability())) {
            abort("the provider does not declare " + binding.capability() + " (capabilities()): the merchant-info"
                    + " checks do not apply");
        }
        return provider.merchantInfoAdapter().orElseGet(() -> fail("the provider declares " + binding.capability()
                + " but returns no merchant-info adapter"));
    }
}
