package io.posunbind.examples.campaign;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.FeeConsent;
import io.posunbind.RetryPolicy;
import io.posunbind.UnbindWorker;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.WaitPolicy;
import io.posunbind.WaitReason;
import io.posunbind.WorkerOptions;
import io.posunbind.event.UnbindEvent;
import io.posunbind.examples.remote.RemoteSandboxProvider;
import io.posunbind.examples.remote.RemoteSandboxProviderFactory;
import io.posunbind.examples.remote.SandboxFleet;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.keys.StaticDataKeyProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.store.CaseStore;
import io.posunbind.store.JdbcCaseStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One engine instance of a crash campaign or cluster test, meant to run in its own JVM and to be killed
 * with {@code kill -9} at any moment. It opens the {@linkplain CampaignCases campaign's cases} it is told
 * to and consents to their fees as the merchant would, against the {@link RemoteSandboxProvider} so that the
 * acquirer outlives it, until every case of the campaign has ended. By default its commands only record
 * ({@link WaitPolicy#none()}) and an {@link UnbindWorker} of {@code --worker-threads} threads runs the cases,
 * as an application at scale does; {@code --worker-threads 0} runs them instead on its own thread, calling
 * {@link Unbinder#runDueWork()} in a loop with commands that run inline, as an application's scheduler did
 * before workers.
 *
 * <p>Everything it does is safe to repeat after a crash: a case already in the store is never opened
 * again (found by its id {@code case-i} where the engine lets the caller choose ids, otherwise by its
 * terminal's serial number), consent is given to whatever case waits for it, and the engine resumes
 * everything else from the store.
 *
 * <p>Options:
 * <pre>
 *   --store h2:&lt;dir&gt; | jdbc:postgresql://...   where the cases live (required)
 *   --db-user U --db-password P                  for PostgreSQL
 *   --sandbox http://127.0.0.1:PORT              the SandboxServer (required)
 *   --instance a                                 this instance's name (default "a")
 *   --cases N                                    the campaign has cases 0 .. N-1 (required)
 *   --open FROM-TO                               this instance opens cases FROM .. TO-1 (default all)
 *   --open-rate R                                opens at most R cases per second (default: all at once)
 *   --stop-when-done                             exits 0 once every case of the campaign has ended
 *   --events                                     prints one EVENT line per engine event
 *   --lease-millis L                             lease duration, where the engine has leases (default 2000)
 *   --poll-millis P                              the engine's poll interval (default 50)
 *   --max-seconds S                              gives up with exit code 2 after S seconds (default 900)
 *   --provider-ignores-keys                      the sandbox was told to ignore idempotency keys; the
 *                                                provider says so, and the engine checkpoints every call
 *   --worker-threads T                           an UnbindWorker of T threads runs the cases (default 4);
 *                                                0: runDueWork() on the main thread, commands inline
 * </pre>
 *
 * <p>It prints {@code READY}, then a {@code PROGRESS} line per second, and {@code DONE} before it exits.
 * Not thread-safe: one instance per JVM, driven by {@link #main}.
 */
public final class CampaignWorker {

    /** Exit code when every case of the campaign has ended. */
    public static final int EXIT_DONE = 0;
    /** Exit code when {@code --max-seconds} ran out first. */
    public static final int EXIT_TIMED_OUT = 2;

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(2);
    private static final Duration OPEN_ROUND = Duration.ofMillis(200);

    /**
     * The worker's options.
     *
     * @param store        where the cases live
     * @param sandbox      the sandbox server's base URL
     * @param instanceId   this instance's name
     * @param cases        the campaign's number of cases
     * @param openFrom     first case this instance opens
     * @param openTo       one past the last case this instance opens
     * @param openRate     cases opened per second at most; 0 for no limit
     * @param stopWhenDone whether to exit once every case ended
     * @param events       whether to print every engine event
     * @param lease        the lease duration, where the engine has leases
     * @param poll         the engine's poll interval
     * @param maxRun       how long to run at most
     * @param providerIgnoresKeys whether the sandbox ignores idempotency keys (and the provider says so)
     * @param workerThreads the threads of the {@link UnbindWorker} that runs the cases; 0 for none (the main
     *                      thread calls {@link Unbinder#runDueWork()}, and commands run inline)
     */
    public record Options(StoreSpec store, URI sandbox, String instanceId, int cases, int openFrom, int openTo,
            double openRate, boolean stopWhenDone, boolean events, Duration lease, Duration poll, Duration maxRun,
            boolean providerIgnoresKeys, int workerThreads) {

        /** Parses command-line arguments. */
        public static Options parse(String... args) {
            Map<String, String> values = new HashMap<>();
            Set<String> flags = Set.of("--stop-when-done", "--events", "--provider-ignores-keys");
            for (int i = 0; i < args.length; i++) {
                if (flags.contains(args[i])) {
                    values.put(args[i], "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    values.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException("Unexpected argument " + args[i]);
                }
            }
            String store = require(values, "--store");
            int cases = Integer.parseInt(require(values, "--cases"));
            String[] open = values.getOrDefault("--open", "0-" + cases).split("-");
            return new Options(
                    new StoreSpec(store, values.getOrDefault("--db-user", ""), values.getOrDefault("--db-password", "")),
                    URI.create(require(values, "--sandbox")),
                    values.getOrDefault("--instance", "a"),
                    cases,
                    Integer.parseInt(open[0]),
                    Integer.parseInt(open[1]),
                    Double.parseDouble(values.getOrDefault("--open-rate", "0")),
                    values.containsKey("--stop-when-done"),
                    values.containsKey("--events"),
                    Duration.ofMillis(Long.parseLong(values.getOrDefault("--lease-millis", "2000"))),
                    Duration.ofMillis(Long.parseLong(values.getOrDefault("--poll-millis", "50"))),
                    Duration.ofSeconds(Long.parseLong(values.getOrDefault("--max-seconds", "900"))),
                    values.containsKey("--provider-ignores-keys"),
                    Integer.parseInt(values.getOrDefault("--worker-threads", "4")));
        }

        private static String require(Map<String, String> values, String name) {
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("Missing " + name);
            }
            return value;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    /** When start-up and recovery were over; the open rate counts from here. */
    private long readyNanos;

    /** What is known of the campaign's cases. */
    private final CampaignLedger ledger;
    /** Cases whose fees wait for consent, as the engine reported them. */
    private final Queue<CaseId> awaitingConsent = new ConcurrentLinkedQueue<>();

    private int nextToOpen;
    private long openedThisRun;
    private long opened;
    private long consents;
    private long advanced;
    private long errors;
    private Instant nextReload = Instant.EPOCH;

    private CampaignWorker(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.nextToOpen = options.openFrom();
        this.ledger = new CampaignLedger(options.cases());
    }

    /**
     * Runs a worker until the campaign is done (with {@code --stop-when-done}), the time runs out, or the
     * process is killed.
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(new CampaignWorker(Options.parse(args), out).run());
    }

    private int run() {
        out.println("WORKER " + options.instanceId() + " pid=" + ProcessHandle.current().pid() + " store="
                + options.store());
        try (JdbcCaseStore store = options.store().open(); Unbinder unbinder = build(store);
                UnbindWorker worker = startWorker(unbinder)) {
            out.println("READY " + options.instanceId() + " after " + elapsedMillis() + " ms"
                    + (worker == null ? " (runDueWork)" : " (worker of " + options.workerThreads() + " threads)"));
            reload(store, unbinder);
            readyNanos = System.nanoTime();
            out.println(progress("RECOVERED"));
            Instant deadline = Instant.now().plus(options.maxRun());
            Instant nextProgress = Instant.now().plus(PROGRESS_INTERVAL);
            while (true) {
                boolean busy = false;
                try {
                    busy |= openDue(store, unbinder);
                    if (worker == null) {
                        int due;
                        do {
                            due = unbinder.runDueWork();
                            advanced += due;
                            busy |= due > 0;
                        } while (due == Unbinder.DEFAULT_DUE_BATCH);
                    } else {
                        advanced = worker.stats().casesClaimed();
                    }
                    busy |= consentToWaiting(unbinder);
                } catch (RuntimeException e) {
                    // An outage of the store or the sandbox: keep going, as an application's scheduler would.
                    errors++;
                    out.println("ERROR " + options.instanceId() + " " + e);
                    pause(100);
                }
                Instant now = Instant.now();
                if (!now.isBefore(nextProgress)) {
                    nextProgress = now.plus(PROGRESS_INTERVAL);
                    try {
                        housekeeping(store, unbinder, !busy);
                    } catch (RuntimeException e) {
                        errors++;
                        out.println("ERROR " + options.instanceId() + " housekeeping " + e);
                    }
                    out.println(progress("PROGRESS"));
                    if (options.stopWhenDone() && ledger.allEnded()) {
                        out.println(progress("DONE"));
                        return EXIT_DONE;
                    }
                    if (now.isAfter(deadline)) {
                        out.println(progress("TIMED-OUT"));
                        return EXIT_TIMED_OUT;
                    }
                }
                if (!busy) {
                    pause(10);
                }
            }
        }
    }

    /** The data key every campaign worker shares on PostgreSQL: test data only, never a real secret. */
    public static final DataKeyProvider CAMPAIGN_KEYS = StaticDataKeyProvider.of(
            DataKey.fromBase64("campaign", "Y2FtcGFpZ24tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE="));

    private Unbinder build(CaseStore store) {
        UnbinderBuilder builder = Unbinder.builder()
                .store(store)
                // Configured like a real acquirer's adapter; the unbinder closes the provider (its HTTP threads).
                .providerFactory(new RemoteSandboxProviderFactory())
                .providerSettings(RemoteSandboxProvider.ID, Map.of("base-uri", options.sandbox().toString(),
                        "honours-idempotency-keys", String.valueOf(!options.providerIgnoresKeys())))
                .withoutDiscovery()
                .pollInterval(options.poll())
                .retryPolicy(new RetryPolicy(6, Duration.ofMillis(20), Duration.ofMillis(200), 2.0))
                .random(new Random())
                .listener(this::onEvent);
        if (store.defaultDataKeys().isEmpty()) {
            // A shared database needs the same data keys in every instance; the campaign uses a fixed one.
            builder.dataKeys(CAMPAIGN_KEYS);
        }
        builder.instanceId(options.instanceId()).leaseDuration(options.lease());
        if (options.workerThreads() > 0) {
            builder.commandWait(WaitPolicy.none());
        }
        return builder.build();
    }

    /** The worker that runs the cases, started; null when the main thread runs them. */
    private UnbindWorker startWorker(Unbinder unbinder) {
        if (options.workerThreads() == 0) {
            return null;
        }
        return unbinder.newWorker(WorkerOptions.builder().threads(options.workerThreads())
                .pollInterval(options.poll()).build()).start();
    }

    private void onEvent(UnbindEvent event) {
        // Called on a worker's thread, or on the engine's inside a command: only note what to do, never call back in.
        if (event instanceof UnbindEvent.CaseWaiting waiting && waiting.reason() == WaitReason.FEE_CONSENT) {
            awaitingConsent.add(event.caseId());
        } else if (event instanceof UnbindEvent.CaseFinished finished) {
            ledger.endedHere(event.caseId(), finished.state());
        }
        if (options.events()) {
            out.println(CampaignEventLine.of(options.instanceId(), event));
        }
    }

    /** Opens the cases of this instance's range that are due under the open rate; returns whether it opened any. */
    private boolean openDue(CaseStore store, Unbinder unbinder) {
        long allowed = options.openRate() <= 0 ? Long.MAX_VALUE
                : (long) Math.floor((System.nanoTime() - readyNanos) / 1e9 * options.openRate()) + 1;
        boolean any = false;
        // Bounded per round, so that due work, consents and the progress line are not starved.
        long roundEnds = System.nanoTime() + OPEN_ROUND.toNanos();
        while (nextToOpen < options.openTo() && openedThisRun < allowed && System.nanoTime() < roundEnds) {
            int i = nextToOpen++;
            if (ledger.isKnown(i)) {
                continue;
            }
            any = true;
            openedThisRun++;
            try {
                CaseSnapshot snapshot = unbinder.open(CampaignCases.caseId(i), CampaignCases.request(i));
                opened++;
                ledger.note(i, snapshot.id(), snapshot.state());
                if (snapshot.isWaitingFor(WaitReason.FEE_CONSENT)) {
                    consent(unbinder, snapshot);
                }
            } catch (PosUnbindException e) {
                if (e.errorCode() != CoreErrorCode.TERMINAL_ALREADY_IN_CASE) {
                    // Try this case again next round: the store or the sandbox may be back by then.
                    nextToOpen = i;
                    throw e;
                }
                // Opened before, by this instance before a crash or by another one: adopt that case.
                List<String> open = store.findOpenCaseIds(RemoteSandboxProvider.ID, SandboxFleet.terminalSerial(i));
                if (!open.isEmpty()) {
                    CaseId id = CaseId.of(open.get(0));
                    ledger.note(i, id, CaseState.WAITING);
                    unbinder.find(id).filter(s -> s.isWaitingFor(WaitReason.FEE_CONSENT))
                            .ifPresent(s -> consent(unbinder, s));
                }
            } catch (RuntimeException e) {
                nextToOpen = i;
                throw e;
            }
        }
        return any;
    }

    private boolean consentToWaiting(Unbinder unbinder) {
        boolean any = false;
        // As many as are queued now: a case a worker still holds goes back in the queue for the next round.
        for (int queued = awaitingConsent.size(); queued > 0; queued--) {
            CaseId id = awaitingConsent.poll();
            if (id == null) {
                break;
            }
            any = true;
            unbinder.find(id).filter(s -> s.isWaitingFor(WaitReason.FEE_CONSENT)).ifPresent(s -> consent(unbinder, s));
        }
        return any;
    }

    private void consent(Unbinder unbinder, CaseSnapshot snapshot) {
        FeeQuote quote = snapshot.feeQuote().orElseThrow();
        int index = CampaignCases.indexOfTerminal(snapshot.request().terminalSerial());
        try {
            CaseSnapshot after = unbinder.consentToFees(snapshot.id(),
                    new FeeConsent(quote.quoteId(), quote.total(), CampaignCases.merchant(index), Instant.now()));
            consents++;
            ledger.note(index, after.id(), after.state());
        } catch (PosUnbindException e) {
            if (e.errorCode() == CoreErrorCode.CASE_BUSY) {
                // A worker still holds the case (it gives the lease back after telling its events): next round.
                awaitingConsent.add(snapshot.id());
                return;
            }
            // Another instance consented or advanced the case meanwhile: nothing left to do here.
            if (e.errorCode() != CoreErrorCode.COMMAND_NOT_EXPECTED
                    && e.errorCode() != CoreErrorCode.STALE_CASE_VERSION) {
                throw e;
            }
        }
    }

    /**
     * Once a second: takes in the cases that ended in this JVM, reloads what the store says about cases
     * this instance did not open (other instances', or its own before a crash), and consents where a case
     * waits for it with no one else to do so.
     */
    private void housekeeping(CaseStore store, Unbinder unbinder, boolean idle) {
        ledger.takeInEndedHere();
        boolean ownRangeOpened = nextToOpen >= options.openTo();
        Instant now = Instant.now();
        if (ownRangeOpened && (idle || ledger.missesCases()) && !now.isBefore(nextReload)) {
            nextReload = now.plus(RELOAD_INTERVAL);
            reload(store, unbinder);
            if (idle) {
                openMissing(unbinder);
            }
        }
    }

    /**
     * Opens campaign cases nobody opened: an instance killed before opening its share leaves them, and
     * opening under the case's own id is idempotent, so any survivor may do it.
     */
    private void openMissing(Unbinder unbinder) {
        for (int i = 0; i < options.cases(); i++) {
            if (ledger.isKnown(i)) {
                continue;
            }
            try {
                CaseSnapshot snapshot = unbinder.open(CampaignCases.caseId(i), CampaignCases.request(i));
                opened++;
                ledger.note(i, snapshot.id(), snapshot.state());
                if (snapshot.isWaitingFor(WaitReason.FEE_CONSENT)) {
                    consent(unbinder, snapshot);
                }
            } catch (RuntimeException e) {
                // Another instance got there first, or the store is busy: the next reload sees it.
            }
        }
    }

    /** Reads every campaign case from the store; consents where a case waits for the merchant's consent. */
    private void reload(CaseStore store, Unbinder unbinder) {
        List<CaseId> waiting = ledger.reload(store, (index, ids) ->
                out.println("DUPLICATE-CASES " + options.instanceId() + " case " + index + " " + ids));
        for (CaseId id : waiting) {
            unbinder.find(id).filter(s -> s.isWaitingFor(WaitReason.FEE_CONSENT)).ifPresent(s -> consent(unbinder, s));
        }
    }

    private String progress(String label) {
        String line = label + " " + options.instanceId() + " t=" + elapsedMillis() + "ms " + ledger.counts()
                + " opened=" + opened + " consents=" + consents + " advanced=" + advanced + " errors=" + errors;
        if (ledger.missesCases() && nextToOpen >= options.openTo()) {
            // Cases nobody has opened yet: worth a look when a campaign hangs.
            line += " unopened=" + ledger.unopened(5);
        }
        return line;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
