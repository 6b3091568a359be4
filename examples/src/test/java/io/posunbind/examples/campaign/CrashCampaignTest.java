package io.posunbind.examples.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.examples.remote.SandboxFleet;
import io.posunbind.examples.remote.SandboxServer;
import io.posunbind.examples.sandbox.CompletionPolicy;
import io.posunbind.examples.sandbox.SandboxBackend;
import io.posunbind.store.JdbcCaseStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's crash campaign: a worker JVM runs a batch of cases against the sandbox, which lives in this
 * JVM behind HTTP, and is killed with {@code kill -9} at random moments, many times, then restarted until
 * every case has ended. Afterwards no case may be lost, every case must be {@code COMPLETED}, every
 * idempotency key must have taken effect exactly once, each case must have left exactly the effects its
 * plan calls for, and the store must agree with itself.
 *
 * <p>Defaults keep {@code mvn verify} short: 200 cases and 20 kills on the H2 file store, 100 cases and 10
 * kills on PostgreSQL. The long campaign: {@code -Pcampaign-long} (2,000 cases, 200 kills), or set
 * {@code campaign.cases}, {@code campaign.kills}, {@code campaign.postgres.cases},
 * {@code campaign.postgres.kills}, {@code campaign.seed}, {@code campaign.killMinMillis} and
 * {@code campaign.killMaxMillis}. Each run prints a {@code CRASH-CAMPAIGN} line with its counts; the
 * workers' output is kept in {@code target/campaign-logs}.
 */
class CrashCampaignTest {

    static {
        // The embedded server logs every line of initdb and start-up; only its warnings matter here.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test", "warn");
    }

    /** A worker's JVM is ready after about this long; kills before that hit start-up and recovery. */
    private static final long STARTUP_MILLIS = 1_100;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void workersKilledAtRandomLoseNothingAndActOnceOnH2File() {
        int cases = Integer.getInteger("campaign.cases", 200);
        int kills = Integer.getInteger("campaign.kills", 20);
        run("h2", StoreSpec.h2(directory.resolve("cases")), cases, kills);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void workersKilledAtRandomLoseNothingAndActOnceOnPostgres() throws IOException {
        int cases = Integer.getInteger("campaign.postgres.cases", 100);
        int kills = Integer.getInteger("campaign.postgres.kills", 10);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            run("postgres", StoreSpec.postgres("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                    "postgres", "postgres"), cases, kills);
        }
    }

    private void run(String name, StoreSpec store, int cases, int kills) {
        long seed = Long.getLong("campaign.seed", 20261125L);
        long killMin = Long.getLong("campaign.killMinMillis", 300);
        long killMax = Long.getLong("campaign.killMaxMillis", 3_000);
        // Cases arrive over time, so that kills land while there is work: spread the opening over the
        // time the killed workers are up, less their start-up.
        double upSeconds = kills * Math.max(0.2, (killMin + killMax) / 2.0 - STARTUP_MILLIS) / 1000.0;
        double openRate = Math.max(1.0, cases / Math.max(1.0, upSeconds));
        Random random = new Random(seed);
        Path logs = Path.of("target", "campaign-logs", name);
        WorkerProcess.clearLogs(logs);
        long started = System.nanoTime();

        SandboxBackend backend = new SandboxBackend();
        // Reviews finish on the second poll, so pending operations are in flight when the kills land.
        backend.setCompletionPolicy(CompletionPolicy.afterPolls(2));
        SandboxFleet.seed(backend, 0, cases);
        int killsWhileWorking = 0;
        int killsInStartUp = 0;
        int killsWhenIdle = 0;
        int launches = 0;
        List<String> unexpectedExits = new ArrayList<>();
        try (SandboxServer server = SandboxServer.start(backend, 0)) {
            List<String> arguments = new ArrayList<>(store.arguments());
            arguments.addAll(List.of("--sandbox", server.baseUri().toString(), "--instance", "a",
                    "--cases", Integer.toString(cases), "--open-rate", String.format("%.2f", openRate)));
            for (int k = 0; k < kills; k++) {
                long delay = killMin + (long) (random.nextDouble() * (killMax - killMin));
                try (WorkerProcess worker = WorkerProcess.start(logs, "run-" + k, arguments)) {
                    launches++;
                    while (worker.isAlive() && worker.aliveMillis() < delay) {
                        pause(10);
                    }
                    if (!worker.isAlive()) {
                        unexpectedExits.add("run " + k + " exited by itself: " + worker.lastLines(3) + " "
                                + worker.errorLines(5));
                        continue;
                    }
                    worker.kill();
                    List<String> lines = worker.lines();
                    List<String> progress = lines.stream().filter(line -> line.startsWith("PROGRESS")
                            || line.startsWith("RECOVERED")).toList();
                    if (lines.stream().noneMatch(line -> line.startsWith("READY"))) {
                        killsInStartUp++;
                    } else if (progress.isEmpty() || !progress.get(progress.size() - 1).contains(" ended=" + cases + " ")) {
                        killsWhileWorking++;
                    } else {
                        killsWhenIdle++;
                    }
                }
            }
            List<String> finalArguments = new ArrayList<>(arguments);
            finalArguments.add("--stop-when-done");
            // About 50 ms of work per case when nothing goes wrong; far more means a case is stuck.
            Duration finalTimeout = Duration.ofSeconds(Long.getLong("campaign.finalTimeoutSeconds",
                    Math.max(120, cases / 5)));
            String unfinished = null;
            try (WorkerProcess last = WorkerProcess.start(logs, "final", finalArguments)) {
                launches++;
                try {
                    int exit = last.awaitExit(finalTimeout);
                    if (exit != CampaignWorker.EXIT_DONE) {
                        unfinished = "the last worker exited with " + exit + ": " + last.lastLines(3) + " "
                                + last.errorLines(5);
                    }
                } catch (IllegalStateException e) {
                    unfinished = "the last worker did not finish within " + finalTimeout + ": " + last.lastLines(1)
                            + " " + last.errorLines(2);
                }
            }
            assertTrue(unexpectedExits.isEmpty(), () -> "workers exited without being killed: " + unexpectedExits);

            CampaignVerdict verdict;
            try (JdbcCaseStore reopened = store.open()) {
                verdict = CampaignVerdict.read(reopened, server.baseUri(), cases);
            }
            long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            System.out.printf("CRASH-CAMPAIGN store=%s kills=%d (in start-up %d, while working %d, when idle %d) "
                    + "launches=%d openRate=%.1f/s seed=%d %s elapsed=%ds%n", name, kills, killsInStartUp,
                    killsWhileWorking, killsWhenIdle, launches, openRate, seed, verdict.summary(), elapsedSeconds);
            String hung = unfinished;
            assertTrue(hung == null, () -> hung + "\n  " + verdict.summary() + "\n  "
                    + String.join("\n  ", verdict.examples()));
            verdict.assertClean();
        }
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
