package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.posunbind.spi.API;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.SettlementAccount;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The account part of {@link PaymentProviderContract}: the settlement account read, and its change or
 * unbind ({@code UNBIND_SETTLEMENT_ACCOUNT}) sent through the account adapter on merchants from
 * {@link BackendFaults#seedMerchantWithAccount()}, with the account the adapter read, as the engine sends it.
 * Every check runs when the provider declares {@code ACCOUNT_UNBIND} and offers the operation, and is
 * skipped with that reason otherwise.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public abstract class AccountContract extends DeviceContract {

    /** Only {@link PaymentProviderContract} extends it, in this package: extend that. */
    AccountContract() {
    }

    /**
     * readSettlementAccount of a seeded merchant answers its account, and nothing it answers or throws (for
     * an unknown merchant too) carries an account, card, identity or mobile number in clear, or a secret.
     */
    @Test
    public void readingTheSettlementAccountShowsNoNumberInClear() {
        PaymentProvider provider = newProvider();
        AccountUnbindAdapter accounts = accounts(provider);
        String merchant = Binding.account().seed(backend());
        SecretScan scan = new SecretScan(secrets());
        Optional<SettlementAccount> account = accounts.readSettlementAccount(merchant);
        assertTrue(account.isPresent(), "readSettlementAccount of a merchant from seedMerchantWithAccount answered"
                + " empty: the engine reads the account before it unbinds it");
        scan.scan("readSettlementAccount", account.toString());
        scan.scan("readSettlementAccount: the holder", account.get().holderName());
        scan.scan("readSettlementAccount: the institution", account.get().institutionName());
        scanCall(scan, "readUnsettledFunds", () -> accounts.readUnsettledFunds(merchant, "TERMINAL-1"));
        try {
            String unknown = backend().unknownMerchant();
            scanCall(scan, "readSettlementAccount(unknown merchant)", () -> accounts.readSettlementAccount(unknown));
        } catch (UnsupportedOperationException e) {
            // readingTheAccountOfAnUnknownMerchantIsMerchantNotFound says what to implement.
        }
        List<String> findings = scan.findings();
        assertTrue(findings.isEmpty(), "the account read lets out:\n" + String.join("\n", findings));
    }

    /** readSettlementAccount of a merchant the backend does not know throws MERCHANT_NOT_FOUND. */
    @Test
    public void readingTheAccountOfAnUnknownMerchantIsMerchantNotFound() {
        AccountUnbindAdapter accounts = accounts(newProvider());
        String unknown;
        try {
            unknown = backend().unknownMerchant();
        } catch (UnsupportedOperationException e) {
            abort("the fake backend cannot name an unknown merchant: implement BackendFaults.unknownMerchant to run"
                    + " this check");
            return;
        }
        try {
            Optional<SettlementAccount> account = accounts.readSettlementAccount(unknown);
            fail("readSettlementAccount of an unknown merchant answered " + account
                    + "; throw a ProviderException with MERCHANT_NOT_FOUND (empty means: known, no account bound)");
        } catch (ProviderException e) {
            assertEquals(StandardErrorCode.MERCHANT_NOT_FOUND, e.errorCode(),
                    "readSettlementAccount of an unknown merchant must throw MERCHANT_NOT_FOUND, threw " + e.getMessage());
        } catch (RuntimeException e) {
            fail("readSettlementAccount of an unknown merchant must throw a ProviderException with"
                    + " MERCHANT_NOT_FOUND, threw " + e.getClass().getName(), e);
        }
    }

    /** A 500, 429, reset, timeout or slow answer to the account change is an outcome, never thrown. */
    @Test
    public void accountChangeAnswersInsteadOfThrowingForHttpErrors() {
        new OutcomeChecks(this, Binding.account()).httpErrorsAreAnswered();
    }

    /** A 429 to the account change is a RetryableFailure with the provider's Retry-After, and changes nothing. */
    @Test
    public void accountChangeRateLimitingIsRetryableAfterTheProvidersRetryAfter() {
        new OutcomeChecks(this, Binding.account()).rateLimitingWaitsForRetryAfter();
    }

    /** An account change whose answer was lost is Unknown. */
    @Test
    public void accountChangeTimeoutIsUnknown() {
        new OutcomeChecks(this, Binding.account()).timeoutIsUnknown();
    }

    /**
     * After a lost answer, lookup finds the one change from what the engine persisted alone, also from a
     * fresh instance; at a provider without keys whose lookup cannot see it yet, the engine's resend is no
     * second change, and the lookup finds it once the backend finished it.
     */
    @Test
    public void accountLookupAfterUnknownFindsTheOneEffect() {
        new LookupChecks(this, Binding.account()).lookupAfterUnknownFindsTheEffect();
    }

    /** An account change never sent (or lost before it arrived) looks up as empty. */
    @Test
    public void accountLookupOfANeverSentKeyIsEmpty() {
        new LookupChecks(this, Binding.account()).lookupOfANeverSentKeyIsEmpty();
    }

    /**
     * One key is one change: de-duplicated when the provider declares honoursIdempotencyKeys(), otherwise
     * found by lookup before any resend (WeChat Pay).
     */
    @Test
    public void accountChangeOneKeyIsOneEffect() {
        new LookupChecks(this, Binding.account()).oneKeyIsOneEffect();
    }

    /** A change under review is Pending with the provider's reference, stable until it looks up as Done. */
    @Test
    public void accountChangePendingResolvesWithAStableReference() {
        new OutcomeChecks(this, Binding.account()).pendingKeepsItsReference();
    }

    /** A refused change is Rejected with stable codes, and stays refused under its key. */
    @Test
    public void accountChangeRejectedCarriesAStableCode() {
        new OutcomeChecks(this, Binding.account()).rejectedKeepsItsCodes();
    }

    /** No secret or clear number in the change's answers, under faults, in the note or in lookups. */
    @Test
    public void accountChangeLetsOutNoSecretOrClearNumber() {
        PaymentProvider provider = newProvider();
        SecretScan scan = new SecretScan(secrets());
        new OutcomeChecks(this, Binding.account()).scanCalls(scan, provider);
        List<String> findings = scan.findings();
        assertTrue(findings.isEmpty(), "the account change lets out:\n" + String.join("\n", findings));
    }

    /** Concurrent account changes on distinct merchants each take effect once and are each found. */
    @Test
    public void accountChangesAreThreadSafeUnderConcurrency() throws InterruptedException {
        new LookupChecks(this, Binding.account()).callsAreThreadSafe();
    }

    /** The account adapter of a provider that declares account binding; the check is skipped otherwise. */
    private static AccountUnbindAdapter accounts(PaymentProvider provider) {
        Binding binding = Binding.account();
        if (!provider.capabilities().contains(binding.capability())) {
            abort("the provider does not declare " + binding.capability() + " (capabilities()): the account checks"
                    + " do not apply");
        }
        return provider.accountAdapter().orElseGet(() -> fail("the provider declares " + binding.capability()
                + " but returns no account adapter"));
    }
}
