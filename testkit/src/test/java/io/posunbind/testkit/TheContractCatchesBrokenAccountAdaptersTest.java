package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.PaymentProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The account and merchant-info checks catch the mistakes they are there for: the contract runs, as an
 * adapter author's build would run it, against an account and merchant-info adapter with one mistake, and
 * the check fails; the reference adapter passes them all, and the device checks skip for it with the reason.
 */
class TheContractCatchesBrokenAccountAdaptersTest {

    /** The contract on {@link FakeMerchantApi}, for one provider class, registered alone for ServiceLoader. */
    @ExtendWith(OnlyInContractRun.class)
    abstract static class OnFakeApi extends PaymentProviderContract {
        private final FakeMerchantApi api = new FakeMerchantApi();
        private final Function<FakeMerchantApi, PaymentProvider> factory;

        OnFakeApi(Function<FakeMerchantApi, PaymentProvider> factory) {
            this.factory = factory;
        }

        @Override
        protected PaymentProvider newProvider() {
            return factory.apply(api);
        }

        @Override
        protected BackendFaults backend() {
            return api;
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(ReferenceMerchantProvider.class), List.of());
        }
    }

    static final class Reference extends OnFakeApi {
        Reference() {
            super(ReferenceMerchantProvider::new);
        }
    }

    static final class WithoutKeys extends OnFakeApi {
        WithoutKeys() {
            super(BrokenAccountProviders.WithoutKeys::new);
        }
    }

    static final class ClearNumberInHolderName extends OnFakeApi {
        ClearNumberInHolderName() {
            super(BrokenAccountProviders.ClearNumberInHolderName::new);
        }
    }

    static final class ClearNumberInRefusal extends OnFakeApi {
        ClearNumberInRefusal() {
            super(BrokenAccountProviders.ClearNumberInRefusal::new);
        }
    }

    static final class UnknownMerchantHasNoAccount extends OnFakeApi {
        UnknownMerchantHasNoAccount() {
            super(BrokenAccountProviders.UnknownMerchantHasNoAccount::new);
        }
    }

    static final class InventsMerchantInfo extends OnFakeApi {
        InventsMerchantInfo() {
            super(BrokenAccountProviders.InventsMerchantInfo::new);
        }
    }

    static final class ThrowsOn500 extends OnFakeApi {
        ThrowsOn500() {
            super(BrokenAccountProviders.ThrowsOn500::new);
        }
    }

    static final class DropsRetryAfter extends OnFakeApi {
        DropsRetryAfter() {
            super(BrokenAccountProviders.DropsRetryAfter::new);
        }
    }

    static final class TimeoutIsRetryable extends OnFakeApi {
        TimeoutIsRetryable() {
            super(BrokenAccountProviders.TimeoutIsRetryable::new);
        }
    }

    static final class LookupNeedsMemory extends OnFakeApi {
        LookupNeedsMemory() {
            super(BrokenAccountProviders.LookupNeedsMemory::new);
        }
    }

    static final class InventsLookups extends OnFakeApi {
        InventsLookups() {
            super(BrokenAccountProviders.InventsLookups::new);
        }
    }

    static final class SecondEffectOnResentKey extends OnFakeApi {
        SecondEffectOnResentKey() {
            super(BrokenAccountProviders.SecondEffectOnResentKey::new);
        }
    }

    static final class DeclaresNoKeysAndCannotLookUp extends OnFakeApi {
        DeclaresNoKeysAndCannotLookUp() {
            super(BrokenAccountProviders.DeclaresNoKeysAndCannotLookUp::new);
        }
    }

    static final class PendingWithoutReference extends OnFakeApi {
        PendingWithoutReference() {
            super(BrokenAccountProviders.PendingWithoutReference::new);
        }
    }

    static final class RefusalCodeCarriesMerchant extends OnFakeApi {
        RefusalCodeCarriesMerchant() {
            super(BrokenAccountProviders.RefusalCodeCarriesMerchant::new);
        }
    }

    static final class PerformsWhatItLeavesOut extends OnFakeApi {
        PerformsWhatItLeavesOut() {
            super(BrokenAccountProviders.PerformsWhatItLeavesOut::new);
        }
    }

    static final class SharesRequestState extends OnFakeApi {
        SharesRequestState() {
            super(BrokenAccountProviders.SharesRequestState::new);
        }
    }

    /** Each broken adapter with the checks its mistake fails: the account check and its merchant-info twin. */
    static Stream<Arguments> brokenAdapters() {
        return Stream.of(
                Arguments.of(ClearNumberInHolderName.class, "readingTheSettlementAccountShowsNoNumberInClear"),
                Arguments.of(ClearNumberInRefusal.class, "accountChangeLetsOutNoSecretOrClearNumber"),
                Arguments.of(ClearNumberInRefusal.class, "merchantInfoChangeLetsOutNoSecretOrClearNumber"),
                Arguments.of(UnknownMerchantHasNoAccount.class, "readingTheAccountOfAnUnknownMerchantIsMerchantNotFound"),
                Arguments.of(InventsMerchantInfo.class, "readingMerchantInfoAnswersTheMerchantAskedFor"),
                Arguments.of(ThrowsOn500.class, "accountChangeAnswersInsteadOfThrowingForHttpErrors"),
                Arguments.of(ThrowsOn500.class, "merchantInfoChangeAnswersInsteadOfThrowingForHttpErrors"),
                Arguments.of(DropsRetryAfter.class, "accountChangeRateLimitingIsRetryableAfterTheProvidersRetryAfter"),
                Arguments.of(DropsRetryAfter.class,
                        "merchantInfoChangeRateLimitingIsRetryableAfterTheProvidersRetryAfter"),
                Arguments.of(TimeoutIsRetryable.class, "accountChangeTimeoutIsUnknown"),
                Arguments.of(TimeoutIsRetryable.class, "merchantInfoChangeTimeoutIsUnknown"),
                Arguments.of(LookupNeedsMemory.class, "accountLookupAfterUnknownFindsTheOneEffect"),
                Arguments.of(LookupNeedsMemory.class, "merchantInfoLookupAfterUnknownFindsTheOneEffect"),
                Arguments.of(InventsLookups.class, "accountLookupOfANeverSentKeyIsEmpty"),
                Arguments.of(InventsLookups.class, "merchantInfoLookupOfANeverSentKeyIsEmpty"),
                Arguments.of(SecondEffectOnResentKey.class, "accountChangeOneKeyIsOneEffect"),
                Arguments.of(SecondEffectOnResentKey.class, "merchantInfoChangeOneKeyIsOneEffect"),
                Arguments.of(DeclaresNoKeysAndCannotLookUp.class, "accountChangeOneKeyIsOneEffect"),
                Arguments.of(DeclaresNoKeysAndCannotLookUp.class, "accountLookupAfterUnknownFindsTheOneEffect"),
                Arguments.of(DeclaresNoKeysAndCannotLookUp.class, "accountChangesAreThreadSafeUnderConcurrency"),
                Arguments.of(PendingWithoutReference.class, "accountChangePendingResolvesWithAStableReference"),
                Arguments.of(PendingWithoutReference.class, "merchantInfoChangePendingResolvesWithAStableReference"),
                Arguments.of(RefusalCodeCarriesMerchant.class, "accountChangeRejectedCarriesAStableCode"),
                Arguments.of(RefusalCodeCarriesMerchant.class, "merchantInfoChangeRejectedCarriesAStableCode"),
                Arguments.of(PerformsWhatItLeavesOut.class,
                        "operationsLeftOutOfSupportedOperationsAnswerNotApplicableWithAReason"));
    }

    @ParameterizedTest(name = "{0} fails {1}")
    @MethodSource("brokenAdapters")
    void eachBrokenAdapterFailsTheCheckForItsMistake(Class<? extends PaymentProviderContract> contract,
            String check) {
        ContractRun run = ContractRun.of(contract, check);
        assertTrue(run.result(check).failed(), contract.getSimpleName() + " must fail " + check + ":\n" + run);
    }

    @Test
    void anAdapterThatSharesRequestStateAcrossThreadsFailsBothConcurrencyChecks() {
        for (String check : List.of("accountChangesAreThreadSafeUnderConcurrency",
                "merchantInfoChangesAreThreadSafeUnderConcurrency")) {
            ContractRun run = ContractRun.of(SharesRequestState.class, check);
            assertTrue(run.result(check).failed(), check + ":\n" + run);
        }
    }

    @Test
    void theReferenceAdapterPassesEveryAccountAndMerchantInfoCheckAndSkipsTheDeviceChecksWithTheReason() {
        ContractRun run = ContractRun.of(Reference.class);
        Set<String> device = deviceChecks();
        run.results().forEach((check, result) -> {
            if (device.contains(check)) {
                assertEquals("ABORTED", result.status(), check + ":\n" + run);
                assertTrue(result.message().contains("does not declare DEVICE_UNBIND"), check + ":\n" + run);
            } else {
                assertEquals("SUCCESSFUL", result.status(), check + ":\n" + run);
            }
        });
    }

    @Test
    void anAdapterWithoutKeysThatLooksUpBeforeAResendPassesTheKeyLookupAndConcurrencyChecks() {
        ContractRun run = ContractRun.of(WithoutKeys.class);
        for (String check : List.of("accountChangeOneKeyIsOneEffect", "accountLookupAfterUnknownFindsTheOneEffect",
                "accountChangesAreThreadSafeUnderConcurrency", "merchantInfoChangeOneKeyIsOneEffect")) {
            assertEquals("SUCCESSFUL", run.result(check).status(), check + ":\n" + run);
        }
    }

    @Test
    void aDeviceOnlyProviderSkipsTheAccountAndMerchantInfoChecksWithTheReason() {
        ContractRun run = ContractRun.of(TheContractCatchesBrokenProvidersTest.Reference.class);
        Map<String, String> reasons = Map.of(
                "accountChangeTimeoutIsUnknown", "does not declare ACCOUNT_UNBIND",
                "readingTheSettlementAccountShowsNoNumberInClear", "does not declare ACCOUNT_UNBIND",
                "merchantInfoChangeOneKeyIsOneEffect", "does not declare MERCHANT_INFO_UNBIND",
                "readingMerchantInfoAnswersTheMerchantAskedFor", "does not declare MERCHANT_INFO_UNBIND",
                "operationsLeftOutOfSupportedOperationsAnswerNotApplicableWithAReason", "declares every operation");
        reasons.forEach((check, reason) -> {
            assertEquals("ABORTED", run.result(check).status(), check + ":\n" + run);
            assertTrue(run.result(check).message().contains(reason), check + ":\n" + run);
        });
    }

    /** The checks these broken adapters and the concurrency one catch, for the kit's "every check is caught". */
    static Set<String> caught() {
        return Stream.concat(brokenAdapters().map(arguments -> (String) arguments.get()[1]),
                Stream.of("merchantInfoChangesAreThreadSafeUnderConcurrency")).collect(Collectors.toSet());
    }

    /** The device checks, as the device reference provider passes them. */
    private static Set<String> deviceChecks() {
        return TheContractCatchesBrokenProvidersTest.brokenProviders().map(arguments -> (String) arguments.get()[1])
                .filter(check -> !Set.of("theProviderIsRegisteredForServiceLoaderUnderItsId",
                        "constructionDoesNoNetworkWork", "noSecretInExceptionsToStringOrExport").contains(check))
                .collect(Collectors.toSet());
    }
}
