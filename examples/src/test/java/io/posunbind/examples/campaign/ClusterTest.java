package io.posunbind.examples.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseState;
import io.posunbind.examples.remote.SandboxFleet;
import io.posunbind.examples.remote.SandboxServer;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.testkit.sandbox.SandboxBackend;
import io.posunbind.store.JdbcCaseStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 3's cluster test: three engine instances, each a {@link CampaignWorker} in its own JVM, share one
 * PostgreSQL and one sandbox and work through a batch of cases; instance {@code a} is killed with
 * {@code kill -9} a third of the way through, and {@code b} and {@code c} finish its cases. No case may be
 * lost and no idempotency key may take effect twice, also when the sandbox ignores idempotency keys. The
 * run prints a {@code CLUSTER} line with the takeover time: from the kill to the first event, on another
 * instance, of a case {@code a} was the last to work on, read from the instances' event lines. Instances
 * {@code a} and {@code b} run their cases on {@code UnbindWorker}s, {@code c} by {@code runDueWork()}.
 *
 * <p>Each instance leases the cases it works on ({@code UnbinderBuilder.instanceId} and
 * {@code leaseDuration}); {@link #aKilledInstancesCaseWaitsForItsLeaseAndIsNotSentTwiceToAProviderThatIgnoresKeys()}
 * checks that a killed instance's case is left alone until its lease expires and taken over soon after.
 */
class ClusterTest {

    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test", "warn");
    }

    private static final int CASES = Integer.getInteger("cluster.cases", 150);
    private static final Duration LEASE = Duration.ofMillis(Long.getLong("cluster.leaseMillis", 2_000));
    private static final List<String> INSTANCES = List.of("a", "b", "c");

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** One line an instance printed for an engine event. */
    record Event(String instance, long atMillis, String caseId, String type, String detail) {
        static Event parse(String line) {
            String[] parts = line.split(" ", 6);
            return new Event(parts[1], Long.parseLong(parts[2]), parts[3], parts[4], parts.length > 5 ? parts[5] : "");
        }
    }

    /** What a cluster run measured. */
    record ClusterRun(CampaignVerdict verdict, long killedAtMillis, Map<String, Long> takeoverMillisByCase,
            Set<String> inFlightAtKill, Map<String, Integer> eventsByInstance, long elapsedMillis) {
        long firstTakeover() {
            return takeoverMillisByCase.values().stream().mapToLong(Long::longValue).min().orElse(-1);
        }

        long lastTakeover() {
            return takeoverMillisByCase.values().stream().mapToLong(Long::longValue).max().orElse(-1);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void threeInstancesShareTheCasesAndFinishAKilledOnesWork() {
        ClusterRun run = runCluster("cluster-leases", CrashCampaignTest.Keys.HONOURED);
        run.verdict().assertClean();
        assertTrue(run.eventsByInstance().getOrDefault("b", 0) > 0 && run.eventsByInstance().getOrDefault("c", 0) > 0,
                "every surviving instance did work: " + run.eventsByInstance());
    }

    /**
     * Runs against a sandbox that ignores idempotency keys: an instance that takes over a killed one's
     * case must look up what the dead instance sent, never send it again, or the verdict finds a key that
     * took effect twice.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aKilledInstancesCaseWaitsForItsLeaseAndIsNotSentTwiceToAProviderThatIgnoresKeys() {
        ClusterRun run = runCluster("cluster-lease-wait-keys-ignored", CrashCampaignTest.Keys.IGNORED);
        run.verdict().assertClean();
        // A case a was inside of when it died is leased to a: nobody may touch it before the lease runs out
        // (less a heartbeat's worth, which we allow as half the lease), and somebody must soon after.
        for (String caseId : run.inFlightAtKill()) {
            Long takeover = run.takeoverMillisByCase().get(caseId);
            assertTrue(takeover != null, "case " + caseId + " was never taken over");
            assertTrue(takeover >= LEASE.toMillis() / 2, "case " + caseId + " was taken over " + takeover
                    + " ms after the kill, before a's lease of " + LEASE.toMillis() + " ms could have expired");
            assertTrue(takeover <= LEASE.toMillis() + 10_000, "case " + caseId + " waited " + takeover + " ms");
        }
    }

    private ClusterRun runCluster(String name, CrashCampaignTest.Keys keys) {
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        StoreSpec store = StoreSpec.postgres(url, "postgres", "postgres");
        resetDatabase(store);
        Path logs = Path.of("target", "campaign-logs", name);
        WorkerProcess.clearLogs(logs);
        long started = System.nanoTime();

        SandboxBackend backend = new SandboxBackend();
        backend.setCompletionPolicy(CompletionPolicy.afterPolls(2));
        backend.requests().setHonoursIdempotencyKeys(keys == CrashCampaignTest.Keys.HONOURED);
        SandboxFleet.seed(backend, 0, CASES);
        Map<String, WorkerProcess> workers = new LinkedHashMap<>();
        try (SandboxServer server = SandboxServer.start(backend, 0);
                JdbcCaseStore observer = store.open()) {
            int share = CASES / INSTANCES.size();
            for (int n = 0; n < INSTANCES.size(); n++) {
                String instance = INSTANCES.get(n);
                int from = n * share;
                int to = n == INSTANCES.size() - 1 ? CASES : from + share;
                List<String> arguments = new ArrayList<>(store.arguments());
                arguments.addAll(List.of("--sandbox", server.baseUri().toString(), "--instance", instance,
                        "--cases", Integer.toString(CASES), "--open", from + "-" + to,
                        "--lease-millis", Long.toString(LEASE.toMillis()), "--events", "--stop-when-done"));
                if (keys == CrashCampaignTest.Keys.IGNORED) {
                    arguments.add("--provider-ignores-keys");
                }
                // a and b run their cases on UnbindWorkers; c as an application without workers does
                // (runDueWork, commands inline): claims and leases must hold between the two.
                arguments.addAll(List.of("--worker-threads", instance.equals("c") ? "0" : "4"));
                workers.put(instance, WorkerProcess.start(logs, instance, arguments));
            }
            // Mid-way: every case is open (the instances open only their own share, so a case a never
            // opened would have no one to open it) and a third of them have ended.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (countCases(observer) < CASES
                    || observer.findByState(CaseState.COMPLETED.name(), Integer.MAX_VALUE).size() < CASES / 3) {
                assertTrue(System.nanoTime() < deadline, "the cluster did not get a third of the way in 3 minutes");
                assertTrue(workers.values().stream().allMatch(WorkerProcess::isAlive), "a worker died by itself");
                pause(20);
            }
            long killedAt = System.currentTimeMillis();
            assertTrue(workers.get("a").kill(), "instance a was still running when killed");
            System.out.println("CLUSTER killed a with " + countCases(observer) + " cases in the store");
            for (String survivor : List.of("b", "c")) {
                WorkerProcess worker = workers.get(survivor);
                int exit = worker.awaitExit(Duration.ofMinutes(2));
                assertEquals(CampaignWorker.EXIT_DONE, exit, () -> survivor + " did not finish: " + worker.lastLines(5)
                        + " " + worker.errorLines(10));
            }

            List<Event> events = new ArrayList<>();
            workers.values().forEach(worker -> worker.lines().stream().filter(line -> line.startsWith("EVENT "))
                    .map(Event::parse).forEach(events::add));
            events.sort((x, y) -> Long.compare(x.atMillis(), y.atMillis()));
            Map<String, Event> lastBeforeKill = new HashMap<>();
            Map<String, Long> takeover = new HashMap<>();
            Map<String, Integer> eventsByInstance = new HashMap<>();
            for (Event event : events) {
                eventsByInstance.merge(event.instance(), 1, Integer::sum);
                if (event.atMillis() <= killedAt) {
                    lastBeforeKill.put(event.caseId(), event);
                }
            }
            Set<String> inFlight = new java.util.TreeSet<>();
            for (Event last : lastBeforeKill.values()) {
                if (!last.instance().equals("a") || last.type().equals("CaseFinished")) {
                    continue;
                }
                if (last.type().equals("StepStarted")) {
                    inFlight.add(last.caseId());
                }
                events.stream()
                        .filter(event -> event.caseId().equals(last.caseId()) && !event.instance().equals("a")
                                && event.atMillis() > killedAt)
                        .findFirst()
                        .ifPresent(first -> takeover.put(last.caseId(), first.atMillis() - killedAt));
            }
            CampaignVerdict verdict = CampaignVerdict.read(observer, server.baseUri(), CASES);
            ClusterRun run = new ClusterRun(verdict, killedAt, takeover, inFlight, eventsByInstance,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            System.out.printf("CLUSTER %s keys=%s instances=3 leases=%s lease=%dms killed=a casesOfA=%d "
                    + "(in a step: %d) "
                    + "takeover first=%dms last=%dms events=%s %s elapsed=%ds%n", name, keys, true,
                    LEASE.toMillis(), takeover.size(), inFlight.size(), run.firstTakeover(), run.lastTakeover(),
                    eventsByInstance, verdict.summary(), run.elapsedMillis() / 1000);
            return run;
        } finally {
            workers.values().forEach(WorkerProcess::close);
        }
    }

    /** Each run starts from an empty database; the store's schema is created by the first store opened. */
    private static void resetDatabase(StoreSpec store) {
        try (var connection = java.sql.DriverManager.getConnection(store.spec(), store.user(), store.password());
                var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not empty the database", e);
        }
        try (JdbcCaseStore created = store.open()) {
            // Opened once here so that three workers starting together do not race to create the schema.
            assertTrue(created.findByState(CaseState.COMPLETED.name(), 1).isEmpty());
        }
    }

    private static int countCases(JdbcCaseStore store) {
        int count = 0;
        for (CaseState state : CaseState.values()) {
            count += store.findByState(state.name(), Integer.MAX_VALUE).size();
        }
        return count;
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
