package io.posunbind.examples.remote;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NAME;
import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxClock;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.IdentityNumber;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.TerminalSetup;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UnbindApplication;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every SPI method through the HTTP server and back, with outcomes, errors and timeouts. */
class RemoteSandboxProviderTest {

    private static final String CASE_ID = "case-remote-1";

    private final SandboxClock clock = SandboxClock.at(Instant.parse("2025-03-03T01:00:00Z"));
    private final SandboxBackend backend = SandboxDemoData.seed(new SandboxBackend(clock));
    private final SandboxServer server = SandboxServer.start(backend, 0);
    private final SandboxAdminClient admin = new SandboxAdminClient(server.baseUri());
    private final RemoteSandboxProvider remote = new RemoteSandboxProvider(server.baseUri());

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static OperationContext context(OperationKind kind, String key) {
        return OperationContext.of(SentOperation.of(new IdempotencyKey(key), kind,
                OperationTarget.terminal(MERCHANT_NUMBER, TERMINAL_SERIAL), Map.of(), Instant.EPOCH), CASE_ID);
    }

    /** An operation as the engine would have persisted it, for a lookup. */
    private static SentOperation sent(String key, OperationKind kind, Optional<String> providerReference) {
        return context(kind, key).operation().withProviderReference(providerReference);
    }

    private static OperationOutcome.Done done(OperationOutcome outcome) {
        return assertInstanceOf(OperationOutcome.Done.class, outcome, () -> "expected done, got " + outcome);
    }

    @Test
    void declaresEveryCapabilityAndHonoursKeys() {
        assertEquals("sandbox", remote.id());
        assertEquals(EnumSet.allOf(ProviderCapability.class), remote.capabilities());
        assertTrue(remote.honoursIdempotencyKeys());
        // For a sandbox told to ignore keys, the provider must say so, or the engine would resend blindly.
        assertFalse(RemoteSandboxProvider.ignoringKeys(server.baseUri()).honoursIdempotencyKeys());
    }

    @Test
    void everySpiMethodTravelsAndComesBack() {
        DeviceUnbindAdapter devices = remote.deviceAdapter().orElseThrow();
        AccountUnbindAdapter accounts = remote.accountAdapter().orElseThrow();
        MerchantInfoAdapter merchantInfo = remote.merchantInfoAdapter().orElseThrow();
        InstitutionApplicationAdapter applications = remote.applicationAdapter().orElseThrow();
        TerminalSetupAdapter setup = remote.terminalSetupAdapter().orElseThrow();

        // Reads come back equal to what the backend holds, sensitive numbers included.
        assertEquals(backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow(), devices.readTerminal(TERMINAL_SERIAL));
        var export = devices.exportTerminalData(TERMINAL_SERIAL);
        assertEquals(backend.terminals().usageRecords(TERMINAL_SERIAL), export.usageRecords());
        assertEquals("zh_CN", export.settings().get("language"));
        assertEquals(Optional.of(SandboxDemoData.settlementAccount()), accounts.readSettlementAccount(MERCHANT_NUMBER));
        assertTrue(accounts.readUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL).settled());
        assertEquals(backend.merchants().merchant(MERCHANT_NUMBER), merchantInfo.readMerchantInfo(MERCHANT_NUMBER));
        assertEquals(Optional.empty(), merchantInfo.readMerchantInfo("000000000000000"));
        FeeQuote quote = remote.feeQuoteAdapter().orElseThrow().quoteFees(MERCHANT_NUMBER, TERMINAL_SERIAL,
                Set.of("DEVICE", "ACCOUNT"));
        assertEquals(Money.cny(5_000 + 3_600 - 20_000), quote.total());
        assertEquals(3, remote.replacementCatalog().orElseThrow().candidatesFor(MERCHANT_NUMBER).size());

        // Before a first sending the engine lets each adapter note what its lookup will need: the sandbox
        // notes a terminal's status before it changes, and nothing for the rest.
        assertEquals(Optional.of("statusBefore=ACTIVE"),
                devices.prepare(sent("k-disable", OperationKind.DISABLE_TERMINAL, Optional.empty())));
        assertEquals(Optional.empty(),
                accounts.prepare(sent("k-account", OperationKind.UNBIND_SETTLEMENT_ACCOUNT, Optional.empty())));
        assertEquals(Optional.empty(),
                merchantInfo.prepare(sent("k-detach", OperationKind.MODIFY_MERCHANT_INFO, Optional.empty())));
        assertEquals(Optional.empty(),
                applications.prepare(sent("k-app", OperationKind.SUBMIT_APPLICATION, Optional.empty())));
        assertEquals(Optional.empty(), setup.prepare(sent("k-setup", OperationKind.SET_UP_TERMINAL, Optional.empty())));
        assertEquals(Optional.empty(), remote.transferAdapter().orElseThrow()
                .prepare(sent("k-bind", OperationKind.BIND_TERMINAL, Optional.empty())));
        assertEquals(Optional.empty(), remote.verificationAdapter().orElseThrow()
                .prepare(sent("k-sms", OperationKind.ISSUE_VERIFICATION, Optional.empty())));

        // The application carries every kind of document; the sandbox reviews it, we poll the decision.
        backend.setCompletionPolicy(CompletionPolicy.manual());
        UnbindApplication application = new UnbindApplication(CASE_ID, MERCHANT_NUMBER, MERCHANT_NAME,
                TERMINAL_SERIAL, "payment system change", List.of(
                        new Document.BusinessLicence(UNIFIED_SOCIAL_CREDIT_CODE, MERCHANT_NAME),
                        new Document.TerminalInformation(TERMINAL_SERIAL, "PAX A920"),
                        new Document.SettlementAccountProof(SandboxDemoData.settlementAccount()),
                        new Document.FileReference(DocumentKind.TRAINING_MATERIAL, "training.pdf", "ab".repeat(32)),
                        new Document.LegalRepresentativeIdentity("张伟", IdentityNumber.of("11010519491231002X"))));
        var submitted = assertInstanceOf(OperationOutcome.Pending.class,
                applications.submitApplication(context(OperationKind.SUBMIT_APPLICATION, "k-app"), application));
        assertEquals(Optional.empty(), applications.readDecision(submitted.providerReference().orElseThrow()));
        backend.reviews().approve(submitted.providerReference().orElseThrow());
        assertEquals(InstitutionDecision.Outcome.APPROVED,
                applications.readDecision(submitted.providerReference().orElseThrow()).orElseThrow().outcome());
        assertEquals("APPROVED", done(applications.lookup(sent("k-app", OperationKind.SUBMIT_APPLICATION,
                submitted.providerReference())).orElseThrow())
                .attributes().get("decision"));

        // The device binding, in the order the provider's guards demand.
        for (Peripheral peripheral : devices.readTerminal(TERMINAL_SERIAL).peripherals()) {
            done(devices.unbindPeripheral(context(OperationKind.UNBIND_PERIPHERAL, "k-" + peripheral.id()),
                    TERMINAL_SERIAL, peripheral));
        }
        done(devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-disable"), TERMINAL_SERIAL));
        done(devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unbind"), TERMINAL_SERIAL));
        assertEquals(Optional.empty(),
                devices.lookup(sent("k-never", OperationKind.DISABLE_TERMINAL, Optional.empty())));
        assertEquals(TerminalStatus.UNBOUND, backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());

        // A rejection keeps its standard code through the wire.
        var refused = assertInstanceOf(OperationOutcome.Rejected.class, merchantInfo.deleteMerchantInfo(
                context(OperationKind.DELETE_MERCHANT_INFO, "k-delete-early"), "000000000000000"));
        assertEquals(StandardErrorCode.MERCHANT_NOT_FOUND, refused.code());
        assertEquals("SBX-MERCHANT-NOT-FOUND", refused.providerCode());
        done(merchantInfo.detachTerminal(context(OperationKind.MODIFY_MERCHANT_INFO, "k-detach"), MERCHANT_NUMBER,
                TERMINAL_SERIAL));
        done(merchantInfo.lookup(sent("k-detach", OperationKind.MODIFY_MERCHANT_INFO, Optional.empty()))
                .orElseThrow());

        // The account unbind is reviewed: pending, then done on lookup once the acquirer completes it.
        var accountPending = assertInstanceOf(OperationOutcome.Pending.class, accounts.unbindSettlementAccount(
                context(OperationKind.UNBIND_SETTLEMENT_ACCOUNT, "k-account"), MERCHANT_NUMBER,
                SandboxDemoData.settlementAccount()));
        backend.reviews().completePending(accountPending.providerReference().orElseThrow());
        done(accounts.lookup(sent("k-account", OperationKind.UNBIND_SETTLEMENT_ACCOUNT,
                accountPending.providerReference()))
                .orElseThrow());
        done(devices.decommissionTerminal(context(OperationKind.DECOMMISSION_TERMINAL, "k-decommission"),
                TERMINAL_SERIAL));

        // The replacement: set up with a new account, updated, tested, test voided.
        SettlementAccount newAccount = new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
                AccountNumber.of("31050161373700000512"), MERCHANT_NAME, "中国建设银行上海分行");
        done(setup.setUpTerminal(context(OperationKind.SET_UP_TERMINAL, "k-setup"), new TerminalSetup(
                REPLACEMENT_SERIAL, REPLACEMENT_MODEL, MERCHANT_NUMBER, MERCHANT_NAME, Optional.of(newAccount))));
        assertEquals(Optional.of(newAccount), backend.settlement().settlementAccount(MERCHANT_NUMBER), "the clear number arrived");
        done(setup.updateSoftware(context(OperationKind.UPDATE_TERMINAL_SOFTWARE, "k-update"), REPLACEMENT_SERIAL));
        String transaction = done(setup.runTestTransaction(context(OperationKind.RUN_TEST_TRANSACTION, "k-test"),
                REPLACEMENT_SERIAL, Money.cny(1))).providerReference();
        done(setup.voidTestTransaction(context(OperationKind.VOID_TEST_TRANSACTION, "k-void"), REPLACEMENT_SERIAL,
                transaction));
        done(setup.lookup(sent("k-void", OperationKind.VOID_TEST_TRANSACTION, Optional.empty())).orElseThrow());
        assertTrue(backend.terminals().testTransactions(REPLACEMENT_SERIAL).get(0).voided());

        // SPI 1.1: account change limits, verification challenges and transfers travel too.
        assertEquals(Optional.empty(), accounts.accountChangeLimit(MERCHANT_NUMBER));
        var verification = remote.verificationAdapter().orElseThrow();
        var demand = new io.posunbind.spi.model.VerificationDemand(
                io.posunbind.spi.model.VerificationDemand.Method.SMS_CODE, 3, java.time.Duration.ofMinutes(5));
        backend.verifications().requireVerification(MERCHANT_NUMBER, demand, OperationKind.BIND_TERMINAL);
        assertEquals(Optional.of(demand), verification.demandFor(OperationKind.BIND_TERMINAL, MERCHANT_NUMBER));
        String challenge = done(verification.issueChallenge(context(OperationKind.ISSUE_VERIFICATION, "k-sms"),
                MERCHANT_NUMBER, demand)).providerReference();
        assertEquals(io.posunbind.spi.model.VerificationResult.VERIFIED, verification.checkAnswer(challenge,
                backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow()));
        done(verification.lookup(sent("k-sms", OperationKind.ISSUE_VERIFICATION, Optional.empty()))
                .orElseThrow());
        var transfer = remote.transferAdapter().orElseThrow();
        // The old terminal is decommissioned by now: the provider's guard answers, through the wire.
        var notBindable = assertInstanceOf(OperationOutcome.Rejected.class, transfer.bindTerminal(
                context(OperationKind.BIND_TERMINAL, "k-bind"), TERMINAL_SERIAL, MERCHANT_NUMBER, Optional.empty()));
        assertEquals(StandardErrorCode.TERMINAL_STATE_CONFLICT, notBindable.code());
        assertInstanceOf(OperationOutcome.Rejected.class,
                transfer.lookup(sent("k-bind", OperationKind.BIND_TERMINAL, Optional.empty())).orElseThrow());

        // Every abstract method of every adapter interface went over the wire at least once.
        Set<String> spiMethods = new TreeSet<>();
        for (SandboxAdapter adapter : SandboxAdapter.values()) {
            for (Method method : adapter.type().getMethods()) {
                if (!Modifier.isStatic(method.getModifiers())) {
                    spiMethods.add(adapter.wireName() + "." + method.getName());
                }
            }
        }
        Map<String, Long> calls = admin.calls();
        Set<String> missing = spiMethods.stream().filter(name -> !calls.containsKey(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "SPI methods never called remotely");

        // Each key took effect once, and the effects report names the case.
        List<SandboxAdminClient.Effect> effects = admin.effects();
        assertTrue(effects.stream().allMatch(effect -> effect.count() == 1), effects.toString());
        assertTrue(effects.stream().allMatch(effect -> effect.caseId().equals(CASE_ID)), effects.toString());
        assertEquals(backend.requests().effects().size(), effects.size());
    }

    @Test
    void aFreshClientInANewProcessLooksUpFromWhatTheEngineStoredAlone() {
        // Client A notes the terminal's status, disables it, and loses the answer; the engine stored the rest.
        OperationContext disable = context(OperationKind.DISABLE_TERMINAL, "k-new-process");
        Optional<String> note = remote.deviceAdapter().orElseThrow().prepare(disable.operation());
        done(remote.deviceAdapter().orElseThrow().disableTerminal(disable, TERMINAL_SERIAL));
        SentOperation stored = disable.operation().withAdapterNote(note);

        // Client B is another process: a new provider instance with nothing in memory.
        DeviceUnbindAdapter fresh = new RemoteSandboxProvider(server.baseUri()).deviceAdapter().orElseThrow();
        assertEquals("SBX-DIS-", done(fresh.lookup(stored).orElseThrow()).providerReference().substring(0, 8));

        // Even once the sandbox forgot the key, the target and the note tell what happened.
        backend.requests().forgetRequests();
        assertTrue(done(fresh.lookup(stored).orElseThrow()).providerReference().startsWith("SBX-FOUND-"));
        assertEquals(Optional.empty(), fresh.lookup(disable.operation()), "without the note nothing can be told");
    }

    @Test
    void everyKindOfOutcomeTravels() {
        DeviceUnbindAdapter devices = remote.deviceAdapter().orElseThrow();
        backend.faults().failNextTransiently(OperationKind.DISABLE_TERMINAL, 1);
        var failure = assertInstanceOf(OperationOutcome.RetryableFailure.class,
                devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-1"), TERMINAL_SERIAL));
        assertEquals(Optional.of(Duration.ofSeconds(1)), failure.retryAfter());
        backend.faults().loseNext(OperationKind.DISABLE_TERMINAL);
        assertInstanceOf(OperationOutcome.Unknown.class,
                devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-1"), TERMINAL_SERIAL));
        var rejected = assertInstanceOf(OperationOutcome.Rejected.class,
                devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-2"), TERMINAL_SERIAL));
        assertEquals(StandardErrorCode.TERMINAL_ACTIVE, rejected.code());
        done(devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-1"), TERMINAL_SERIAL));
        assertEquals(1, backend.requests().effectCount(new IdempotencyKey("k-1")));
    }

    @Test
    void aProviderExceptionArrivesWithItsCodes() {
        ProviderException notFound = assertThrows(ProviderException.class,
                () -> remote.deviceAdapter().orElseThrow().readTerminal("0000000000"));
        assertEquals(StandardErrorCode.TERMINAL_NOT_FOUND, notFound.errorCode());
        assertEquals("SBX-TERMINAL-NOT-FOUND", notFound.providerCode());
        assertFalse(notFound.retryable());
        // Rebuilt once, not decorated twice.
        assertEquals("[PRV-TERMINAL-NOT-FOUND] Terminal 0000000000 is unknown to the sandbox; check the serial number"
                + " (provider code SBX-TERMINAL-NOT-FOUND)", notFound.getMessage());

        backend.faults().failNextReads(1);
        ProviderException unavailable = assertThrows(ProviderException.class,
                () -> remote.accountAdapter().orElseThrow().readSettlementAccount(MERCHANT_NUMBER));
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, unavailable.errorCode());
        assertTrue(unavailable.retryable());

        backend.faults().timeOutNextWithException(OperationKind.DISABLE_TERMINAL);
        assertThrows(java.io.UncheckedIOException.class, () -> remote.deviceAdapter().orElseThrow()
                .disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-timeout"), TERMINAL_SERIAL));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aTimeoutSurfacesAsAnExceptionAndTheEffectIsFoundByLookup() {
        RemoteSandboxProvider impatient = new RemoteSandboxProvider(server.baseUri(), Duration.ofMillis(300));
        DeviceUnbindAdapter devices = impatient.deviceAdapter().orElseThrow();
        // The answer would come only after ten minutes (the server's close ends the wait): an exception
        // now means the client gave up on its own timeout, and no clock needs to say when.
        admin.stallNext(1, Duration.ofMinutes(10));

        ProviderException timedOut = assertThrows(ProviderException.class,
                () -> devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-slow"), TERMINAL_SERIAL));

        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, timedOut.errorCode());
        assertEquals("SBX-REMOTE-TIMEOUT", timedOut.providerCode());
        assertInstanceOf(HttpTimeoutException.class, timedOut.getCause());
        // The call took effect although its answer was lost: a lookup finds it, nothing was sent twice.
        done(devices.lookup(sent("k-slow", OperationKind.DISABLE_TERMINAL, Optional.empty())).orElseThrow());
        assertEquals(1, backend.requests().effectCount(new IdempotencyKey("k-slow")));
        assertEquals(1, admin.calls().get("device.disableTerminal"));
    }

    @Test
    void aDeadServerSurfacesAsAnException() {
        server.close();
        ProviderException error = assertThrows(ProviderException.class, () -> remote.deviceAdapter().orElseThrow()
                .disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-dead"), TERMINAL_SERIAL));
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, error.errorCode());
    }

    @Test
    void unknownCodesFallBackToARecord() {
        assertEquals(StandardErrorCode.FUNDS_UNSETTLED, SandboxJson.errorCode("PRV-FUNDS-UNSETTLED"));
        ErrorCode custom = SandboxJson.errorCode("ACME-42");
        assertEquals(new RemoteErrorCode("ACME-42", false), custom);
        assertEquals(List.of("ACME-42"), Arrays.asList(custom.code()));
    }
}
