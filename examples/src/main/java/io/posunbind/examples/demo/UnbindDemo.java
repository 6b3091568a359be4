package io.posunbind.examples.demo;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.FeeConsent;
import io.posunbind.ReplacementTerminal;
import io.posunbind.StepKind;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.event.UnbindEvent;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxClock;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.testkit.sandbox.SandboxReviews;
import io.posunbind.testkit.sandbox.SandboxTestTransaction;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.SettlementAccountKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.store.JdbcCaseStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Takes one merchant, 上海示例餐饮有限公司, through the whole unbind process: it changes payment
 * system, unbinds device, settlement account and merchant info from its PAX A920, and moves to a new
 * PAX A920Pro that is set up, updated and tested before the case completes.
 *
 * <p>Cases live in the embedded default store (H2 in file mode); the acquirer is the sandbox provider,
 * found on the class path through {@code META-INF/services}. Days of waiting for the institution are
 * simulated with a clock the demo moves, so the run takes seconds.
 *
 * <p>Run it with {@code mvn -q -Pdemo package -DskipTests}, or from an IDE; an optional argument names
 * the directory for the H2 files (a new temporary directory otherwise, deleted when the demo ends).
 */
public final class UnbindDemo {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneId.of("Asia/Shanghai"));

    private final PrintStream out;
    private final SandboxClock clock = SandboxClock.at(Instant.now());

    UnbindDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @param args optionally the directory for the H2 files; without it the demo works in a temporary
     *             directory that it deletes when it ends, whether the case completed or not
     * @throws IOException when the demo cannot create or delete its temporary directory
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        UnbindDemo demo = new UnbindDemo(out);
        CaseSnapshot result;
        if (args.length > 0) {
            result = demo.run(Path.of(args[0]));
        } else {
            result = inTemporaryDirectory(Path.of(System.getProperty("java.io.tmpdir")), demo::run);
            out.println();
            out.println("The temporary directory was deleted; give a directory as argument to keep the case store.");
        }
        if (result.state() != CaseState.COMPLETED) {
            System.exit(1);
        }
    }

    /**
     * Runs the work in a new directory under {@code parent} and deletes that directory with everything in
     * it afterwards, also when the work fails: a demo run must not leave files behind.
     */
    static <T> T inTemporaryDirectory(Path parent, Function<Path, T> work) throws IOException {
        Path directory = Files.createTempDirectory(parent, "posunbind-demo");
        try {
            return work.apply(directory);
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            // Deepest first: a directory can only be deleted once it is empty.
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Runs the whole process and returns the finished case. */
    CaseSnapshot run(Path dataDirectory) {
        // A fresh acquirer each run; the engine finds the sandbox on the class path and uses this backend.
        SandboxBackend acquirer = SandboxBackend.resetShared();
        out.println("posunbind demo — 解绑 one merchant's POS terminal, end to end");
        out.println("Case store: H2 file in " + dataDirectory.toAbsolutePath());
        Path auditKeys = dataDirectory.resolve("audit-keys");
        io.posunbind.audit.FileAuditKeyProvider signingKeys = Files.exists(auditKeys)
                ? io.posunbind.audit.FileAuditKeyProvider.open(auditKeys)
                : io.posunbind.audit.FileAuditKeyProvider.generate(auditKeys, "demo-audit-key");
        try (JdbcCaseStore store = JdbcCaseStore.h2File(dataDirectory);
                io.posunbind.audit.JdbcAuditStore auditStore = io.posunbind.audit.JdbcAuditStore.h2File(dataDirectory)) {
            io.posunbind.audit.AuditTrail trail = io.posunbind.audit.AuditTrail.builder().store(auditStore)
                    .keys(signingKeys).clock(clock).build();
            try (Unbinder unbinder = Unbinder.builder()
                    .store(store)
                    .clock(clock)
                    .pollInterval(Duration.ofMinutes(10))
                    .auditTrail(trail)
                    .listener(this::print)
                    .build()) {
                return run(unbinder, acquirer, trail, dataDirectory, auditKeys);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CaseSnapshot run(Unbinder unbinder, SandboxBackend acquirer, io.posunbind.audit.AuditTrail trail,
            Path dataDirectory, Path auditKeys) throws IOException {
        {
            out.println("Providers found on the class path: " + unbinder.providerIds());
            showTerminal("Before", acquirer, SandboxDemoData.TERMINAL_SERIAL);

            section("1. 确认解绑需求 — the merchant changes payment system and replaces its terminal");
            CaseSnapshot snapshot = unbinder.open(request());
            out.println("   Case " + snapshot.id() + " planned " + snapshot.steps().size() + " steps");

            if (snapshot.isWaitingFor(io.posunbind.WaitReason.FEE_CONSENT)) {
                section("2. 手续费 — the merchant reads the quote and agrees to it");
                FeeQuote quote = snapshot.feeQuote().orElseThrow();
                for (FeeItem item : quote.items()) {
                    out.printf("   %-18s %12s  %s%n", item.kind(), item.amount(), item.description());
                }
                out.printf("   %-18s %12s%n", "TOTAL", quote.total());
                snapshot = unbinder.consentToFees(snapshot.id(), new FeeConsent(quote.quoteId(), quote.total(),
                        Actor.merchant("merchant:" + SandboxDemoData.LEGAL_REPRESENTATIVE_NAME), clock.instant()));
            }

            section("3. 与银行沟通 — two days later the institution approves the application");
            clock.advance(Duration.ofDays(2));
            acquirer.reviews().approve(applicationReference(acquirer));
            snapshot = waitFor(unbinder, snapshot.id(), Duration.ofMinutes(10));

            if (snapshot.state().isOpen()) {
                section("4. 账户解绑 — the acquirer reviews the settlement-account change and completes it");
                clock.advance(Duration.ofHours(3));
                snapshot.steps(StepKind.UNBIND_SETTLEMENT_ACCOUNT).stream()
                        .flatMap(step -> step.providerReference().stream())
                        .forEach(acquirer.reviews()::completePending);
                snapshot = waitFor(unbinder, snapshot.id(), Duration.ofMinutes(10));
            }

            section("Result: case " + snapshot.state());
            showTerminal("Old terminal", acquirer, SandboxDemoData.TERMINAL_SERIAL);
            showTerminal("New terminal", acquirer, SandboxDemoData.REPLACEMENT_SERIAL);
            out.println("   Settlement account now: "
                    + acquirer.settlement().settlementAccount(SandboxDemoData.MERCHANT_NUMBER)
                    .map(SettlementAccount::number).map(AccountNumber::masked).orElse("none"));
            List<SandboxTestTransaction> tests =
                    acquirer.terminals().testTransactions(SandboxDemoData.REPLACEMENT_SERIAL);
            for (SandboxTestTransaction test : tests) {
                out.println("   Test transaction " + test.reference() + " of " + test.amount()
                        + (test.voided() ? ", voided (no money moved)" : ", NOT voided"));
            }
            out.println("   History: " + snapshot.history().size() + " entries; provider effects: "
                    + acquirer.requests().effects().size() + " (one per step, each under its own idempotency key)");

            section("Evidence — the case's audit records, signed, checked offline with the public key only");
            trail.checkpointNow();
            io.posunbind.audit.EvidenceBundle evidence = trail.exportEvidence(snapshot.id().value());
            Path bundle = dataDirectory.resolve("evidence-" + snapshot.id() + ".json");
            Files.writeString(bundle, evidence.toJson());
            io.posunbind.audit.VerificationReport report = io.posunbind.audit.AuditVerifier
                    .trusting(io.posunbind.audit.FileAuditKeyProvider.readPublicKeys(auditKeys))
                    .verify(io.posunbind.audit.EvidenceBundle.fromJson(Files.readString(bundle)));
            out.println("   " + evidence.caseRecords().size() + " audit records of this case exported to " + bundle);
            out.println("   Verification: " + (report.intact() ? "intact" : "TAMPERED: " + report.describe()) + ", "
                    + report.recordsChecked() + " chained records checked, signed up to sequence "
                    + report.lastSignedSequence().orElse(0));
            out.println("   Backup of the old terminal: " + unbinder.verifyBackup(snapshot.id()).summary());
            return snapshot;
        }
    }

    private UnbindRequest request() {
        SettlementAccount newAccount = new SettlementAccount(SettlementAccountKind.BANK_ACCOUNT,
                AccountNumber.of("31050161373700000512"), SandboxDemoData.MERCHANT_NAME, "中国建设银行上海分行");
        return UnbindRequest.builder()
                .provider(SandboxProvider.ID)
                .merchantNumber(SandboxDemoData.MERCHANT_NUMBER)
                .terminalSerial(SandboxDemoData.TERMINAL_SERIAL)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .reasonNote("更换支付系统，启用新结算账户")
                .allBindings()
                .replacement(new ReplacementTerminal(SandboxDemoData.REPLACEMENT_SERIAL,
                        SandboxDemoData.REPLACEMENT_MODEL, Optional.of(newAccount)))
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(List.of(
                        new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE,
                                SandboxDemoData.MERCHANT_NAME),
                        new Document.TerminalInformation(SandboxDemoData.TERMINAL_SERIAL,
                                SandboxDemoData.TERMINAL_MODEL),
                        new Document.SettlementAccountProof(SandboxDemoData.settlementAccount()),
                        new Document.FileReference(DocumentKind.TRAINING_MATERIAL, "training/a920pro-staff.pdf",
                                "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")))
                .build();
    }

    /**
     * Lets simulated time pass in steps, running due work as a scheduler would, until the case ends or
     * waits for someone outside the SDK (the acquirer's review, here).
     */
    private CaseSnapshot waitFor(Unbinder unbinder, CaseId id, Duration step) {
        CaseSnapshot snapshot = unbinder.find(id).orElseThrow();
        for (int i = 0; i < 12 && snapshot.state().isOpen(); i++) {
            clock.advance(step);
            unbinder.runDueWork();
            snapshot = unbinder.find(id).orElseThrow();
            if (snapshot.isWaitingFor(io.posunbind.WaitReason.PROVIDER_OPERATION)) {
                break;
            }
        }
        return snapshot;
    }

    private static String applicationReference(SandboxBackend acquirer) {
        SandboxReviews reviews = acquirer.reviews();
        return reviews.pendingReferences().stream().filter(ref -> reviews.application(ref).isPresent())
                .reduce((first, second) -> second).orElseThrow();
    }

    private void print(UnbindEvent event) {
        String when = TIME.format(event.at());
        if (event instanceof UnbindEvent.StepFinished finished) {
            out.printf("   %s  %s %-28s %s%n", when, finished.succeeded() ? "✔" : "✘",
                    finished.step() + (finished.target().isEmpty() ? "" : "[" + finished.target() + "]"),
                    finished.detail());
        } else if (event instanceof UnbindEvent.CaseWaiting waiting) {
            out.printf("   %s  … %-28s waits for %s: %s%n", when, waiting.step(), waiting.reason(), waiting.detail());
        } else if (event instanceof UnbindEvent.CaseFinished finished) {
            out.printf("   %s  ■ case %s %s%n", when, finished.state(), finished.detail());
        }
    }

    private void section(String title) {
        out.println();
        out.println(title);
    }

    private void showTerminal(String label, SandboxBackend acquirer, String serial) {
        Optional<Terminal> terminal = acquirer.terminals().terminal(serial);
        out.println("   " + label + ": " + terminal.map(t -> t.serialNumber() + " " + t.model() + " " + t.status()
                + ", merchants " + t.boundMerchantNumbers() + ", peripherals " + t.peripherals().size())
                .orElse(serial + " unknown"));
    }
}
