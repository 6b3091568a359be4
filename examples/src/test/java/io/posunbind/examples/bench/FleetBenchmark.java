package io.posunbind.examples.bench;

import static io.posunbind.examples.bench.ThroughputBenchmark.argument;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.UnbindWorker;
import io.posunbind.WaitPolicy;
import io.posunbind.WorkerOptions;
import io.posunbind.event.UnbindEvent;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.store.CaseStore;
import io.posunbind.store.InMemoryCaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latency-bound benchmarks of issue 12: cases opened with {@link WaitPolicy#none()} and carried through
 * the happy path by {@link UnbindWorker}s against a sandbox whose every call takes 50 ms (see
 * {@link SlowSandbox}).
 *
 * <ul>
 *   <li>{@code mode=fleet} ({@code cases=2000 threads=32 rate=400 latencyMs=50 store=memory|h2}): one
 *       instance, a provider declaring {@code rate} calls a second; wall time against the limit's bound
 *       (calls ÷ rate) and the most calls the sandbox saw in any one-second window.</li>
 *   <li>{@code mode=instances} ({@code cases=2000 threads=16 instances=3 latencyMs=50}, PostgreSQL only):
 *       no limit; one instance, then {@code instances} instances on one embedded PostgreSQL, each with its
 *       own store and worker; cases per second of each, and cases whose provider calls came from more than
 *       one instance (duplicate claims).</li>
 *   <li>{@code mode=instances rate=400}: the provider declares {@code rate} calls a second, and only the
 *       {@code instances} instances run, sharing the limit evenly through the database; wall time against the
 *       limit's bound (calls ÷ rate), the most calls the sandbox saw in any one-second window, and each
 *       instance's limiter.</li>
 * </ul>
 * Nothing is asserted: the figures are printed with the arguments that produced them.
 */
final class FleetBenchmark {

    private static final String CREDIT_CODE = "91310000MA1FL4B24G";

    private FleetBenchmark() {
    }

    static void run(String mode, String[] args) throws Exception {
        int cases = Integer.parseInt(argument(args, "cases", "2000"));
        long latencyMillis = Long.parseLong(argument(args, "latencyMs", "50"));
        Duration poll = Duration.ofMillis(Long.parseLong(argument(args, "pollMs", "10")));
        System.out.println("args: " + String.join(" ", args));
        if (mode.equals("fleet")) {
            fleet(cases, Integer.parseInt(argument(args, "threads", "32")),
                    Double.parseDouble(argument(args, "rate", "400")), latencyMillis, poll,
                    argument(args, "store", "memory"));
        } else {
            if (!argument(args, "store", "postgres").equals("postgres")) {
                throw new IllegalArgumentException("mode=instances runs on PostgreSQL only (store=postgres)");
            }
            double rate = Double.parseDouble(argument(args, "rate", "0"));
            if (rate > 0) {
                limitedInstances(cases, Integer.parseInt(argument(args, "threads", "16")),
                        Integer.parseInt(argument(args, "instances", "3")), rate, latencyMillis, poll);
            } else {
                instances(cases, Integer.parseInt(argument(args, "threads", "16")),
                        Integer.parseInt(argument(args, "instances", "3")), latencyMillis, poll);
            }
        }
    }

    private static void fleet(int cases, int threads, double rate, long latencyMillis, Duration poll, String storeKind)
            throws Exception {
        SandboxBackend backend = seed(cases);
        SlowSandbox slow = new SlowSandbox(latencyMillis, ProviderLimits.perSecond(rate));
        Path h2Directory = Files.createTempDirectory("posunbind-fleet");
        CaseStore store = storeKind.equals("h2") ? JdbcCaseStore.h2File(h2Directory) : new InMemoryCaseStore();
        Settling settling = new Settling(cases);
        Unbinder unbinder = unbinder(store, slow, backend, "fleet-0", settling);
        try {
            openAll(unbinder, 0, cases);
            int callsWhileOpening = slow.calls();
            slow.reset();
            long started = System.nanoTime();
            UnbindWorker worker = unbinder.newWorker(WorkerOptions.builder().threads(threads)
                    .batchSize(threads * 2).pollInterval(poll).build()).start();
            boolean all = settling.await(cases);
            double wall = (System.nanoTime() - started) / 1e9;
            worker.close();
            if (!all) {
                describeUnsettled(unbinder, 0, cases);
            }
            int calls = slow.calls();
            double bound = calls / rate;
            System.out.printf(Locale.ROOT, "fleet store=%s cases=%d settled=%d%s ends=%s threads=%d latency=%dms"
                    + " declared=%.0f calls/s%n", storeKind, cases, settling.count(), all ? "" : " (TIMED OUT)",
                    settling.ends, threads, latencyMillis, rate);
            System.out.printf(Locale.ROOT, "  wall=%.2fs provider calls=%d (calls per case %s; %d while opening)"
                    + " bound=calls/%.0f=%.2fs wall/bound=%.3f max calls in any 1s window=%d%n", wall, calls,
                    slow.casesByCallCount(), callsWhileOpening, rate, bound, wall / bound, slow.maxCallsInAnySecond());
            System.out.println("  calls per second: " + slow.perSecondProfile());
            System.out.println("  " + slow.threadsUsed());
            System.out.println("  worker " + worker.stats());
            System.out.println("  limiter " + unbinder.providerLimitStats(SandboxProvider.ID));
        } finally {
            unbinder.close();
            if (store instanceof JdbcCaseStore jdbc) {
                jdbc.close();
            }
            ThroughputBenchmark.deleteRecursively(h2Directory);
        }
    }

    private static void instances(int cases, int threads, int instanceCount, long latencyMillis, Duration poll)
            throws Exception {
        SandboxBackend backend = seed(2 * cases);
        SlowSandbox slow = new SlowSandbox(latencyMillis, ProviderLimits.unlimited());
        // The embedded server's default turns synchronous_commit off; a durable step needs it on.
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .start()) {
            double one = phase(postgres, backend, slow, 1, 0, cases, threads, latencyMillis, poll);
            double many = phase(postgres, backend, slow, instanceCount, cases, cases, threads, latencyMillis, poll);
            System.out.printf(Locale.ROOT, "instances: %d instances / 1 instance = %.2fx%n", instanceCount,
                    many / one);
        }
    }

    /** {@code instanceCount} instances on one PostgreSQL, sharing a provider's declared {@code rate} evenly. */
    private static void limitedInstances(int cases, int threads, int instanceCount, double rate, long latencyMillis,
            Duration poll) throws Exception {
        SandboxBackend backend = seed(cases);
        SlowSandbox slow = new SlowSandbox(latencyMillis, ProviderLimits.perSecond(rate));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .start()) {
            phase(postgres, backend, slow, instanceCount, 0, cases, threads, latencyMillis, poll, rate);
        }
    }

    private static double phase(EmbeddedPostgres postgres, SandboxBackend backend, SlowSandbox slow,
            int instanceCount, int from, int count, int threads, long latencyMillis, Duration poll) throws Exception {
        return phase(postgres, backend, slow, instanceCount, from, count, threads, latencyMillis, poll, 0);
    }

    /**
     * Cases {@code from .. from+count-1} on {@code instanceCount} instances; returns cases per second. With a
     * {@code rate}, also the wall time against the limit's bound and the busiest second at the sandbox.
     */
    private static double phase(EmbeddedPostgres postgres, SandboxBackend backend, SlowSandbox slow,
            int instanceCount, int from, int count, int threads, long latencyMillis, Duration poll, double rate)
            throws Exception {
        Settling settling = new Settling(count);
        List<JdbcCaseStore> stores = new ArrayList<>();
        List<Unbinder> unbinders = new ArrayList<>();
        List<UnbindWorker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < instanceCount; i++) {
                JdbcCaseStore store = JdbcCaseStore.create(postgres.getPostgresDatabase());
                stores.add(store);
                unbinders.add(unbinder(store, slow, backend, "instance-" + i, settling));
            }
            openAll(unbinders.get(0), from, count);
            slow.reset();
            long started = System.nanoTime();
            for (Unbinder unbinder : unbinders) {
                workers.add(unbinder.newWorker(WorkerOptions.builder().threads(threads).batchSize(threads * 2)
                        .pollInterval(poll).build()).start());
            }
            boolean all = settling.await(count);
            double wall = (System.nanoTime() - started) / 1e9;
            workers.forEach(UnbindWorker::close);
            if (!all) {
                describeUnsettled(unbinders.get(0), from, count);
            }
            double perSecond = settling.count() / wall;
            System.out.printf(Locale.ROOT, "instances=%d store=postgres cases=%d settled=%d%s ends=%s"
                    + " threads/instance=%d latency=%dms wall=%.2fs throughput=%.1f cases/s provider calls=%d"
                    + " (calls per case %s) cases called by more than one instance=%d%n", instanceCount, count,
                    settling.count(), all ? "" : " (TIMED OUT)", settling.ends, threads, latencyMillis, wall,
                    perSecond, slow.calls(), slow.casesByCallCount(), slow.casesRunByMoreThanOneInstance());
            if (rate > 0) {
                double bound = slow.calls() / rate;
                System.out.printf(Locale.ROOT, "  declared=%.0f calls/s shared by %d instances: bound=calls/%.0f=%.2fs"
                        + " wall/bound=%.3f max calls in any 1s window=%d%n", rate, instanceCount, rate, bound,
                        wall / bound, slow.maxCallsInAnySecond());
            }
            for (int i = 0; i < workers.size(); i++) {
                System.out.println("  instance-" + i + " " + workers.get(i).stats());
                if (rate > 0) {
                    System.out.println("  instance-" + i + " limiter "
                            + unbinders.get(i).providerLimitStats(SandboxProvider.ID));
                }
            }
            return perSecond;
        } finally {
            workers.forEach(UnbindWorker::close);
            unbinders.forEach(Unbinder::close);
            stores.forEach(JdbcCaseStore::close);
        }
    }

    private static Unbinder unbinder(CaseStore store, SlowSandbox slow, SandboxBackend backend, String instanceId,
            Settling settling) {
        UnbinderBuilder builder = Unbinder.builder().store(store)
                .provider(slow.providerFor(new SandboxProvider(backend), instanceId)).withoutDiscovery()
                .instanceId(instanceId).commandWait(WaitPolicy.none()).listener(settling::seen);
        if (store.defaultDataKeys().isEmpty()) {
            builder.dataKeys(ThroughputBenchmark.SHARED_KEYS);
        }
        return builder.build();
    }

    /** Records every case and returns at once: no provider call happens here. */
    private static void openAll(Unbinder unbinder, int from, int count) {
        for (int i = from; i < from + count; i++) {
            unbinder.open(CaseId.of("fleet-" + i), ThroughputBenchmark.request(i));
        }
    }

    /** States of the cases that did not finish, and one of them in full, to see why. */
    private static void describeUnsettled(Unbinder unbinder, int from, int count) {
        Map<String, Integer> states = new TreeMap<>();
        String sample = null;
        for (int i = from; i < from + count; i++) {
            CaseSnapshot snapshot = unbinder.find(CaseId.of("fleet-" + i)).orElseThrow();
            states.merge(snapshot.state().name(), 1, Integer::sum);
            if (sample == null && snapshot.state().isOpen()) {
                sample = snapshot.toString();
            }
        }
        System.out.println("  unsettled: states " + states + " e.g. " + sample);
    }

    private static SandboxBackend seed(int cases) {
        SandboxBackend sandbox = new SandboxBackend();
        sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        for (int i = 0; i < cases; i++) {
            String merchant = String.format("M%09d", i);
            sandbox.addMerchant(merchant, "商户" + i, CREDIT_CODE, "法人" + i);
            sandbox.setFees(merchant, List.of());
            sandbox.addTerminal(ThroughputBenchmark.serial(i), "PAX A920", merchant);
        }
        return sandbox;
    }

    /** Counts cases that finished, by their end state; a bounded wait, so a stuck run still prints. */
    private static final class Settling {
        private final CountDownLatch finished;
        private final AtomicInteger count = new AtomicInteger();
        final Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();

        Settling(int cases) {
            this.finished = new CountDownLatch(cases);
        }

        void seen(UnbindEvent event) {
            if (event instanceof UnbindEvent.CaseFinished done) {
                ends.computeIfAbsent(done.state().name(), state -> new AtomicInteger()).incrementAndGet();
                count.incrementAndGet();
                finished.countDown();
            }
        }

        int count() {
            return count.get();
        }

        boolean await(int cases) throws InterruptedException {
            return finished.await(Long.getLong("bench.timeoutSeconds", 60L + cases), TimeUnit.SECONDS);
        }
    }
}
