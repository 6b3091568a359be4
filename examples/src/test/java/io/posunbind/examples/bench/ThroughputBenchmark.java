package io.posunbind.examples.bench;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.spi.model.Document;
import io.posunbind.store.CaseStore;
import io.posunbind.store.JdbcCaseStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures how many cases per second the engine carries through the happy path with every step
 * durable, against the zero-latency sandbox. Not a test: run it with
 * {@code mvn -q -Pbench verify} (see the README), or from an IDE.
 *
 * <p>Arguments (all optional): {@code store=h2|postgres|memory}, {@code cases=20000}, {@code threads=4},
 * {@code instances=1}. With {@code mode=fleet} or {@code mode=instances} it runs the latency-bound benchmarks of
 * {@link FleetBenchmark}. With {@code mode=happy} it runs the engine on H2 beside the bare JDBC loop
 * ({@link HappyPathBenchmark}). With {@code mode=footprint} it measures the store instead: bytes on disk per waiting case,
 * writes and bytes written per completed case (see {@link StoreFootprint}). Each instance is a separate {@link Unbinder} with its own store connections, all on
 * the same database. A warm-up of a tenth of the cases runs first and is not counted.
 */
public final class ThroughputBenchmark {

    private static final String CREDIT_CODE = "91310000MA1FL4B24G";

    /** Instances on one PostgreSQL share their data keys, as production instances must. */
    static final io.posunbind.keys.DataKeyProvider SHARED_KEYS = io.posunbind.keys.StaticDataKeyProvider.of(
            io.posunbind.keys.DataKey.generate("bench", new java.security.SecureRandom()));

    private static final java.util.concurrent.ConcurrentMap<String, Integer> FAILURES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String storeKind = argument(args, "store", "h2");
        String mode = argument(args, "mode", "throughput");
        if (mode.equals("fleet") || mode.equals("instances")) {
            FleetBenchmark.run(mode, args);
            return;
        }
        if (mode.equals("happy")) {
            HappyPathBenchmark.run(args);
            return;
        }
        if (mode.equals("footprint")) {
            StoreFootprint.run(storeKind, Integer.parseInt(argument(args, "waiting", "5000")),
                    Integer.parseInt(argument(args, "completed", "1000")),
                    Integer.parseInt(argument(args, "threads", "4")));
            return;
        }
        int cases = Integer.parseInt(argument(args, "cases", "20000"));
        int threads = Integer.parseInt(argument(args, "threads", "4"));
        int instances = Integer.parseInt(argument(args, "instances", "1"));
        int warmUp = Math.max(100, cases / 10);

        SandboxBackend sandbox = seededSandbox(warmUp + cases);

        // The embedded server's default turns synchronous_commit off; a durable step needs it on.
        EmbeddedPostgres postgres = storeKind.equals("postgres")
                ? EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start() : null;
        Path h2Directory = Files.createTempDirectory("posunbind-bench");
        List<CaseStore> stores = new ArrayList<>();
        List<Unbinder> unbinders = new ArrayList<>();
        try {
            CaseStore shared = null;
            for (int i = 0; i < instances; i++) {
                CaseStore store;
                if (storeKind.equals("memory")) {
                    // Not durable: shows what the engine itself costs, without a database.
                    shared = shared == null ? new io.posunbind.store.InMemoryCaseStore() : shared;
                    store = shared;
                } else if (postgres != null) {
                    store = JdbcCaseStore.create(postgres.getPostgresDatabase());
                } else {
                    // H2 in file mode allows one process; instances in this JVM share its store.
                    shared = shared == null ? JdbcCaseStore.h2File(h2Directory) : shared;
                    store = shared;
                }
                if (!stores.contains(store)) {
                    stores.add(store);
                }
                unbinders.add(unbinder(store, new SandboxProvider(sandbox), "bench-" + i));
            }
            run(unbinders, 0, warmUp, threads);
            long started = System.nanoTime();
            int completed = run(unbinders, warmUp, cases, threads);
            double seconds = (System.nanoTime() - started) / 1e9;
            int steps = unbinders.get(0).find(io.posunbind.CaseId.of("bench-" + warmUp)).orElseThrow().steps().size();
            System.out.printf(Locale.ROOT, "store=%s instances=%d threads=%d cases=%d completed=%d steps/case=%d"
                    + " elapsed=%.2fs throughput=%.0f cases/s (%.0f step transitions/s)%n", storeKind, instances,
                    threads, cases, completed, steps, seconds, completed / seconds, completed * steps / seconds);
        } finally {
            unbinders.forEach(Unbinder::close);
            for (CaseStore store : stores) {
                if (store instanceof JdbcCaseStore jdbc) {
                    jdbc.close();
                }
            }
            if (postgres != null) {
                postgres.close();
            }
            deleteRecursively(h2Directory);
        }
    }

    /** A sandbox that completes at once, with merchants and terminals for cases {@code 0 .. count-1}, no fees. */
    static SandboxBackend seededSandbox(int count) {
        SandboxBackend sandbox = new SandboxBackend();
        sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        for (int i = 0; i < count; i++) {
            String merchant = String.format("M%09d", i);
            sandbox.addMerchant(merchant, "商户" + i, CREDIT_CODE, "法人" + i);
            sandbox.setFees(merchant, List.of());
            sandbox.addTerminal(serial(i), "PAX A920", merchant);
        }
        return sandbox;
    }

    /** A benchmark's database grows to gigabytes; it is not kept. */
    static void deleteRecursively(Path directory) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static Unbinder unbinder(CaseStore store, SandboxProvider provider, String instanceId) {
        UnbinderBuilder builder = Unbinder.builder().store(store).provider(provider).withoutDiscovery()
                .instanceId(instanceId);
        if (store.defaultDataKeys().isEmpty()) {
            builder.dataKeys(SHARED_KEYS);
        }
        return builder.build();
    }

    /** Opens cases {@code from .. from+count-1} spread over the instances and threads; returns how many completed. */
    static int run(List<Unbinder> unbinders, int from, int count, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger completed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads * unbinders.size());
        List<Future<?>> futures = new ArrayList<>();
        for (Unbinder unbinder : unbinders) {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < from + count; i = next.getAndIncrement()) {
                        try {
                            CaseSnapshot done = unbinder.open(io.posunbind.CaseId.of("bench-" + i), request(i));
                            if (done.state() == CaseState.COMPLETED) {
                                completed.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            FAILURES.merge(e.toString().substring(0, Math.min(120, e.toString().length())), 1,
                                    Integer::sum);
                        }
                    }
                    return null;
                }));
            }
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        if (!FAILURES.isEmpty()) {
            System.out.println("failures: " + FAILURES);
        }
        return completed.get();
    }

    static UnbindRequest request(int i) {
        return UnbindRequest.builder()
                .provider(SandboxProvider.ID)
                .merchantNumber(String.format("M%09d", i))
                .terminalSerial(serial(i))
                .reason(UnbindReason.DEVICE_FAULTY)
                .scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("bench"))
                .documents(new Document.BusinessLicence(CREDIT_CODE, "商户" + i),
                        new Document.TerminalInformation(serial(i), "PAX A920"))
                .build();
    }

    static String serial(int i) {
        return String.format("SN%08d", i);
    }

    static String argument(String[] args, String name, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
