package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.CallLimit;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
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
 * Every check of the contract catches the mistake it is there for: the contract runs, as an adapter
 * author's build would run it, against an adapter with that one mistake, and that check fails.
 */
class TheContractCatchesBrokenProvidersTest {

    /** The contract on {@link FakeTerminalApi}, for one provider class. */
    @ExtendWith(OnlyInContractRun.class)
    abstract static class OnFakeApi extends PaymentProviderContract {
        private final FakeTerminalApi api = new FakeTerminalApi();
        private final Function<FakeTerminalApi, PaymentProvider> factory;

        OnFakeApi(Function<FakeTerminalApi, PaymentProvider> factory) {
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
        protected Set<String> secrets() {
            return Set.of(ReferenceProvider.API_KEY);
        }
    }

    static final class Reference extends OnFakeApi {
        Reference() {
            super(ReferenceProvider::new);
        }
    }

    static final class WithRequestIds extends OnFakeApi {
        WithRequestIds() {
            super(ReferenceProvider.WithRequestIds::new);
        }
    }

    static final class WithoutKeys extends OnFakeApi {
        WithoutKeys() {
            super(ReferenceProvider.WithoutKeys::new);
        }
    }

    static final class DeclaresNoKeysAndCannotLookUp extends OnFakeApi {
        DeclaresNoKeysAndCannotLookUp() {
            super(BrokenProviders.DeclaresNoKeysAndCannotLookUp::new);
        }
    }

    static final class ForgetsKeysAndCannotLookUp extends OnFakeApi {
        ForgetsKeysAndCannotLookUp() {
            super(BrokenProviders.ForgetsKeysAndCannotLookUp::new);
        }
    }

    static final class NoteCarriesSecret extends OnFakeApi {
        NoteCarriesSecret() {
            super(BrokenProviders.NoteCarriesSecret::new);
        }
    }

    static final class VerifyLeaksSecret extends OnFakeApi {
        VerifyLeaksSecret() {
            super(BrokenProviders.VerifyLeaksSecret::new);
        }
    }

    static final class NetworkInDeclaration extends OnFakeApi {
        NetworkInDeclaration() {
            super(BrokenProviders.NetworkInDeclaration::new);
        }
    }

    static final class NetworkInCallLimits extends OnFakeApi {
        NetworkInCallLimits() {
            super(BrokenProviders.NetworkInCallLimits::new);
        }
    }

    static final class LimitOfAnOperationItNeverPerforms extends OnFakeApi {
        LimitOfAnOperationItNeverPerforms() {
            super(BrokenProviders.LimitOfAnOperationItNeverPerforms::new);
        }
    }

    static final class NoCallsAMinute extends OnFakeApi {
        NoCallsAMinute() {
            super(BrokenProviders.NoCallsAMinute::new);
        }
    }

    /** The reference provider, with its unbind limited to 20 calls a minute on top of its API's limits. */
    static final class WithAnOperationLimit extends OnFakeApi {
        WithAnOperationLimit() {
            super(api -> new ReferenceProvider(api) {
                @Override
                public ProviderLimits callLimits() {
                    return ProviderLimits.of(25, 4).withOperation(OperationKind.UNBIND_TERMINAL,
                            CallLimit.perMinute(20));
                }
            });
        }
    }

    static final class NullCallLimits extends OnFakeApi {
        NullCallLimits() {
            super(BrokenProviders.NullCallLimits::new);
        }
    }

    /** The providers of a factory found by ServiceLoader talk to the shared backend, so this contract does too. */
    @ExtendWith(OnlyInContractRun.class)
    static final class NetworkInFactory extends PaymentProviderContract {
        @Override
        protected PaymentProvider newProvider() {
            return new ReferenceProvider(FakeTerminalApi.shared());
        }

        @Override
        protected BackendFaults backend() {
            return FakeTerminalApi.shared();
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(), List.of(BrokenProviders.NetworkInFactory.class));
        }
    }

    static final class IgnoresKeys extends OnFakeApi {
        IgnoresKeys() {
            super(BrokenProviders.IgnoresKeys::new);
        }
    }

    static final class ThrowsOn500 extends OnFakeApi {
        ThrowsOn500() {
            super(BrokenProviders.ThrowsOn500::new);
        }
    }

    static final class TimeoutThrows extends OnFakeApi {
        TimeoutThrows() {
            super(BrokenProviders.TimeoutThrows::new);
        }
    }

    static final class LookupNeedsMemory extends OnFakeApi {
        LookupNeedsMemory() {
            super(BrokenProviders.LookupNeedsMemory::new);
        }
    }

    static final class InventsLookups extends OnFakeApi {
        InventsLookups() {
            super(BrokenProviders.InventsLookups::new);
        }
    }

    static final class NotFoundIsUnmapped extends OnFakeApi {
        NotFoundIsUnmapped() {
            super(BrokenProviders.NotFoundIsUnmapped::new);
        }
    }

    static final class IgnoresRetryAfter extends OnFakeApi {
        IgnoresRetryAfter() {
            super(BrokenProviders.IgnoresRetryAfter::new);
        }
    }

    static final class UnstablePendingReference extends OnFakeApi {
        UnstablePendingReference() {
            super(BrokenProviders.UnstablePendingReference::new);
        }
    }

    static final class RefusalCodeCarriesSerial extends OnFakeApi {
        RefusalCodeCarriesSerial() {
            super(BrokenProviders.RefusalCodeCarriesSerial::new);
        }
    }

    static final class LeaksSecret extends OnFakeApi {
        LeaksSecret() {
            super(BrokenProviders.LeaksSecret::new);
        }
    }

    static final class NetworkInConstructor extends OnFakeApi {
        NetworkInConstructor() {
            super(BrokenProviders.NetworkInConstructor::new);
        }
    }

    static final class SerialPatternDisagrees extends OnFakeApi {
        SerialPatternDisagrees() {
            super(BrokenProviders.SerialPatternDisagrees::new);
        }
    }

    static final class Unregistered extends OnFakeApi {
        Unregistered() {
            super(BrokenProviders.Unregistered::new);
        }
    }

    static final class SharesRequestState extends OnFakeApi {
        SharesRequestState() {
            super(BrokenProviders.SharesRequestState::new);
        }
    }

    /** The reference provider registered by its factory, which needs an API key, and given one. */
    static final class ByFactory extends OnFakeApi {
        ByFactory() {
            super(ReferenceProvider::new);
        }

        @Override
        protected Map<String, String> settings() {
            return Map.of(ReferenceProvider.Factory.API_KEY_SETTING, ReferenceProvider.API_KEY);
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(), List.of(ReferenceProvider.Factory.class));
        }
    }

    /** The same factory, but the contract gives it no settings: it passed on its id alone before. */
    static final class ByFactoryWithoutSettings extends OnFakeApi {
        ByFactoryWithoutSettings() {
            super(ReferenceProvider::new);
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(), List.of(ReferenceProvider.Factory.class));
        }
    }

    static final class OldSpiFactory extends OnFakeApi {
        OldSpiFactory() {
            super(ReferenceProvider::new);
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(), List.of(BrokenProviders.OldSpiFactory.class));
        }
    }

    static final class FutureSpi extends OnFakeApi {
        FutureSpi() {
            super(BrokenProviders.FutureSpi::new);
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(BrokenProviders.FutureSpi.class), List.of());
        }
    }

    static final class FactoryOfAnotherClass extends OnFakeApi {
        FactoryOfAnotherClass() {
            super(ReferenceProvider::new);
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(), List.of(BrokenProviders.FactoryOfAnotherClass.class));
        }
    }

    static final class FactoryOfAnotherId extends OnFakeApi {
        FactoryOfAnotherId() {
            super(api -> new BrokenProviders.Renamed(api, BrokenProviders.Renamed.ID));
        }

        @Override
        protected ClassLoader serviceClassLoader() {
            return ServiceRegistrations.of(List.of(), List.of(BrokenProviders.FactoryOfAnotherId.class));
        }
    }

    /** A fake backend that offers no optional method: no asynchronous answers, no refusals, no faults. */
    @ExtendWith(OnlyInContractRun.class)
    static final class BareBackend extends PaymentProviderContract {
        private final FakeTerminalApi api = new FakeTerminalApi();
        private final BackendFaults bare = new BackendFaults() {
            @Override
            public String seedTerminal() {
                return api.seedTerminal();
            }

            @Override
            public String unknownSerial() {
                return api.unknownSerial();
            }

            @Override
            public void failNext(OperationKind kind, Fault fault) {
                throw new UnsupportedOperationException(fault.kind().name());
            }

            @Override
            public int effectsUnder(IdempotencyKey key) {
                return api.effectsUnder(key);
            }

            @Override
            public int requestsReceived() {
                return api.requestsReceived();
            }
        };

        @Override
        protected PaymentProvider newProvider() {
            return new ReferenceProvider(api);
        }

        @Override
        protected BackendFaults backend() {
            return bare;
        }
    }

    static Stream<Arguments> brokenProviders() {
        return Stream.of(
                Arguments.of(IgnoresKeys.class, "oneKeyIsOneEffect"),
                Arguments.of(DeclaresNoKeysAndCannotLookUp.class, "oneKeyIsOneEffect"),
                Arguments.of(DeclaresNoKeysAndCannotLookUp.class, "callsAreThreadSafeUnderConcurrency"),
                Arguments.of(ForgetsKeysAndCannotLookUp.class, "oneKeyIsOneEffect"),
                Arguments.of(ThrowsOn500.class, "mutatingCallsAnswerInsteadOfThrowingForHttpErrors"),
                Arguments.of(TimeoutThrows.class, "aTimeoutIsUnknown"),
                Arguments.of(LookupNeedsMemory.class, "lookupAfterUnknownWorksFromWhatTheEnginePersistedAlone"),
                Arguments.of(InventsLookups.class, "lookupOfANeverSentKeyIsEmpty"),
                Arguments.of(NotFoundIsUnmapped.class, "readingAnUnknownSerialIsTerminalNotFound"),
                Arguments.of(IgnoresRetryAfter.class, "rateLimitingIsRetryableAfterTheProvidersRetryAfter"),
                Arguments.of(UnstablePendingReference.class, "pendingResolvesWithAStableReference"),
                Arguments.of(RefusalCodeCarriesSerial.class, "aRejectedCarriesAStableCode"),
                Arguments.of(LeaksSecret.class, "noSecretInExceptionsToStringOrExport"),
                Arguments.of(NoteCarriesSecret.class, "noSecretInExceptionsToStringOrExport"),
                Arguments.of(VerifyLeaksSecret.class, "noSecretInExceptionsToStringOrExport"),
                Arguments.of(NetworkInDeclaration.class, "constructionDoesNoNetworkWork"),
                Arguments.of(NetworkInConstructor.class, "constructionDoesNoNetworkWork"),
                Arguments.of(NetworkInCallLimits.class, "constructionDoesNoNetworkWork"),
                Arguments.of(NullCallLimits.class, "constructionDoesNoNetworkWork"),
                Arguments.of(LimitOfAnOperationItNeverPerforms.class, "constructionDoesNoNetworkWork"),
                Arguments.of(NoCallsAMinute.class, "constructionDoesNoNetworkWork"),
                Arguments.of(SerialPatternDisagrees.class, "theSerialPatternAgreesWithReadTerminal"),
                Arguments.of(Unregistered.class, "theProviderIsRegisteredForServiceLoaderUnderItsId"),
                Arguments.of(ByFactoryWithoutSettings.class, "theProviderIsRegisteredForServiceLoaderUnderItsId"),
                Arguments.of(OldSpiFactory.class, "theProviderIsRegisteredForServiceLoaderUnderItsId"),
                Arguments.of(FutureSpi.class, "theProviderIsRegisteredForServiceLoaderUnderItsId"),
                Arguments.of(FactoryOfAnotherClass.class, "theProviderIsRegisteredForServiceLoaderUnderItsId"),
                Arguments.of(FactoryOfAnotherId.class, "theProviderIsRegisteredForServiceLoaderUnderItsId"));
    }

    @ParameterizedTest(name = "{0} fails {1}")
    @MethodSource("brokenProviders")
    void eachBrokenProviderFailsTheCheckForItsMistake(Class<? extends PaymentProviderContract> contract,
            String check) {
        ContractRun run = ContractRun.of(contract);
        assertTrue(run.result(check).failed(), contract.getSimpleName() + " must fail " + check + ":\n" + run);
    }

    @Test
    void aProviderThatSharesRequestStateAcrossThreadsFailsTheConcurrencyCheck() {
        // Alone: its rendezvous would hold every single-threaded check of the full contract.
        ContractRun run = ContractRun.of(SharesRequestState.class, "callsAreThreadSafeUnderConcurrency");
        assertTrue(run.result("callsAreThreadSafeUnderConcurrency").failed(), run.toString());
    }

    @Test
    void theReferenceProviderPassesEveryCheckOfWhatItDeclares() {
        ContractRun run = ContractRun.of(Reference.class);
        // Device only: the account and merchant-info checks skip, and it leaves no device operation out.
        Map<String, ContractRun.Result> passed = run.results().entrySet().stream()
                .filter(entry -> entry.getValue().status().equals("SUCCESSFUL"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(14, passed.size(), run.toString());
        run.results().forEach((check, result) -> assertTrue(result.status().equals("SUCCESSFUL")
                || result.status().equals("ABORTED") && (result.message().contains("does not declare")
                        || result.message().contains("declares every operation")), check + ":\n" + run));
    }

    @Test
    void aProviderThatLimitsOneOfItsOperationsOnTopOfItsApisLimitsPassesTheLoadCheck() {
        String check = "constructionDoesNoNetworkWork";
        ContractRun run = ContractRun.of(WithAnOperationLimit.class, check);
        assertEquals("SUCCESSFUL", run.result(check).status(), run.toString());
        ContractRun unperformed = ContractRun.of(LimitOfAnOperationItNeverPerforms.class, check);
        assertTrue(unperformed.result(check).message().contains("SUBMIT_APPLICATION"), unperformed.toString());
        ContractRun none = ContractRun.of(NoCallsAMinute.class, check);
        assertTrue(none.result(check).message().contains("at least one call"), none.toString());
    }

    @Test
    void anAdapterThatCarriesTheProvidersPerRequestIdOnRefusalsPassesEveryCheck() {
        ContractRun run = ContractRun.of(WithRequestIds.class);
        assertEquals("SUCCESSFUL", run.result("aRejectedCarriesAStableCode").status(), run.toString());
        // The variant is not what META-INF/services registers; every other check must pass.
        run.results().forEach((check, result) -> assertTrue(
                check.equals("theProviderIsRegisteredForServiceLoaderUnderItsId") || !result.failed(),
                check + ":\n" + run));
    }

    @Test
    void aProviderRegisteredByAFactoryThatNeedsSettingsPassesWhenTheContractGivesThem() {
        ContractRun run = ContractRun.of(ByFactory.class, "theProviderIsRegisteredForServiceLoaderUnderItsId");
        assertEquals("SUCCESSFUL", run.result("theProviderIsRegisteredForServiceLoaderUnderItsId").status(),
                run.toString());
    }

    @Test
    void aFactoryOrProviderBuiltAgainstAnSpiTheEngineDoesNotSpeakFailsTheRegistrationCheckOnTheHandshake() {
        String check = "theProviderIsRegisteredForServiceLoaderUnderItsId";
        ContractRun oldFactory = ContractRun.of(OldSpiFactory.class, check);
        assertTrue(oldFactory.result(check).failed() && oldFactory.result(check).message().contains("SPI 1.9"),
                oldFactory.toString());
        ContractRun futureProvider = ContractRun.of(FutureSpi.class, check);
        assertTrue(futureProvider.result(check).failed()
                && futureProvider.result(check).message().contains("SPI 3.0"), futureProvider.toString());
        ContractRun withoutSettings = ContractRun.of(ByFactoryWithoutSettings.class, check);
        assertTrue(withoutSettings.result(check).message().contains("settings()"), withoutSettings.toString());
    }

    @Test
    void anAdapterThatDeclaresItDoesNotHonourKeysAndLooksUpPassesTheKeyAndConcurrencyChecks() {
        ContractRun run = ContractRun.of(WithoutKeys.class);
        assertEquals("SUCCESSFUL", run.result("oneKeyIsOneEffect").status(), run.toString());
        assertEquals("SUCCESSFUL", run.result("callsAreThreadSafeUnderConcurrency").status(), run.toString());
    }

    @Test
    void aFactoryThatCallsTheBackendWhileCreatingItsProviderFailsTheConstructionCheck() {
        // Alone: its backend is the shared one that providers created by ServiceLoader talk to.
        ContractRun run = ContractRun.of(NetworkInFactory.class, "constructionDoesNoNetworkWork");
        assertTrue(run.result("constructionDoesNoNetworkWork").failed()
                && run.result("constructionDoesNoNetworkWork").message().contains("factory"), run.toString());
    }

    @Test
    void everyCheckIsCaughtByOneOfTheBrokenProviders() {
        Set<String> caught = Stream.concat(Stream.concat(brokenProviders().map(arguments -> (String) arguments.get()[1]),
                Stream.of("callsAreThreadSafeUnderConcurrency")),
                TheContractCatchesBrokenAccountAdaptersTest.caught().stream()).collect(Collectors.toSet());
        assertEquals(ContractRun.of(Reference.class).results().keySet(), caught,
                "a check no broken provider fails proves nothing");
    }

    @Test
    void checksTheFakeBackendCannotServeAreSkippedWithTheMethodToImplement() {
        ContractRun run = ContractRun.of(BareBackend.class);
        Map<String, String> expectedReasons = Map.of(
                "pendingResolvesWithAStableReference", "holdNextAsPending",
                "aRejectedCarriesAStableCode", "seedTerminalThatRefuses",
                "aTimeoutIsUnknown", "TIMEOUT",
                "rateLimitingIsRetryableAfterTheProvidersRetryAfter", "RATE_LIMITED",
                "mutatingCallsAnswerInsteadOfThrowingForHttpErrors", "failNext");
        expectedReasons.forEach((check, reason) -> {
            assertEquals("ABORTED", run.result(check).status(), check + ":\n" + run);
            assertTrue(run.result(check).message().contains(reason), check + ":\n" + run);
        });
        assertEquals("SUCCESSFUL", run.result("oneKeyIsOneEffect").status(), run.toString());
    }
}
