package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NAME;
import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.REPLACEMENT_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_MODEL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.FeeConsent;
import io.posunbind.ReplacementTerminal;
import io.posunbind.RetryPolicy;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.event.UnbindEvent;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxClock;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;

/**
 * One merchant, the sandbox acquirer and an unbinder, wired the way an application would, with a clock
 * the test moves by hand. Scenario tests read as the merchant's process on top of it. Like a careless
 * application it logs every event, request, document and snapshot it sees ({@link CarelessHost}), so
 * that the secret-hygiene scan has something to find if the SDK ever printed a number in clear.
 */
final class MerchantCase {

    static final Actor OPERATOR = Actor.operator("operator:li.na");
    static final Actor MERCHANT = Actor.merchant("merchant:zhang.wei");
    static final Duration POLL = Duration.ofMinutes(1);

    final SandboxClock clock = SandboxClock.at(Instant.parse("2026-11-25T02:00:00Z"));
    final SandboxBackend sandbox = SandboxDemoData.seed(new SandboxBackend(clock));
    final List<UnbindEvent> events = Collections.synchronizedList(new ArrayList<>());
    final CaseStore store;
    Unbinder unbinder;

    MerchantCase() {
        this(new InMemoryCaseStore());
    }

    MerchantCase(CaseStore store) {
        this.store = store;
        this.unbinder = newUnbinder();
    }

    /** A fresh unbinder on the same store and sandbox: what a restarted application would build. */
    Unbinder newUnbinder() {
        return unbinderOn(store);
    }

    /** An unbinder on another store, with this merchant's sandbox and clock. */
    Unbinder unbinderOn(CaseStore caseStore) {
        return builderOn(caseStore).build();
    }

    /** A builder with this merchant's sandbox, clock and settings, for further settings. */
    UnbinderBuilder builderOn(CaseStore caseStore) {
        return builderOn(caseStore, new SandboxProvider(sandbox));
    }

    /** A builder like {@link #builderOn(CaseStore)} with another provider (a wrapped sandbox, say). */
    UnbinderBuilder builderOn(CaseStore caseStore, io.posunbind.spi.PaymentProvider provider) {
        return Unbinder.builder()
                .store(caseStore)
                .clock(clock)
                .provider(provider)
                .withoutDiscovery()
                .pollInterval(POLL)
                .retryPolicy(new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(1), 2.0))
                .random(new Random(7))
                .listener(events::add)
                .listener(new CarelessHost());
    }

    static UnbindRequest.Builder request() {
        return UnbindRequest.builder()
                .provider(SandboxProvider.ID)
                .merchantNumber(MERCHANT_NUMBER)
                .terminalSerial(TERMINAL_SERIAL)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .requestedBy(OPERATOR);
    }

    /** The new settlement account the merchant moves to along with the new terminal. */
    static final SettlementAccount NEW_ACCOUNT = new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
            AccountNumber.of("31050161373700000512"), MERCHANT_NAME, "中国建设银行上海分行");

    static UnbindRequest.Builder fullReplacement() {
        return request().allBindings().replacement(
                new ReplacementTerminal(REPLACEMENT_SERIAL, REPLACEMENT_MODEL, Optional.of(NEW_ACCOUNT)));
    }

    static List<Document> allDocuments() {
        return logged("documents", List.of(new Document.BusinessLicence(UNIFIED_SOCIAL_CREDIT_CODE, MERCHANT_NAME),
                new Document.TerminalInformation(TERMINAL_SERIAL, TERMINAL_MODEL),
                new Document.SettlementAccountProof(SandboxDemoData.settlementAccount()),
                new Document.FileReference(DocumentKind.TRAINING_MATERIAL, "docs/a920pro-training.pdf",
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));
    }

    private static <T> T logged(String what, T value) {
        CarelessHost.logs(what, value);
        return value;
    }

    CaseSnapshot agreeToFees(CaseSnapshot snapshot) {
        CarelessHost.logs(snapshot);
        var quote = snapshot.feeQuote().orElseThrow();
        return CarelessHost.logs(unbinder.consentToFees(snapshot.id(), new FeeConsent(quote.quoteId(), quote.total(),
                MERCHANT, clock.instant())));
    }

    /** The single application the sandbox received. */
    String applicationReference() {
        List<String> pending = sandbox.reviews().pendingReferences();
        return pending.stream().filter(ref -> sandbox.reviews().application(ref).isPresent()).findFirst().orElseThrow();
    }

    /** Lets time pass and lets the engine do what fell due. */
    CaseSnapshot afterWaiting(CaseId id, Duration duration) {
        clock.advance(duration);
        unbinder.runDueWork();
        return CarelessHost.logs(unbinder.find(id).orElseThrow());
    }

    /** Runs the due work repeatedly until nothing is due (for retry chains). */
    CaseSnapshot letTimePass(CaseId id, Duration step, int times) {
        CaseSnapshot snapshot = unbinder.find(id).orElseThrow();
        for (int i = 0; i < times && snapshot.state().isOpen(); i++) {
            snapshot = afterWaiting(id, step);
        }
        return snapshot;
    }
}
