package io.posunbind.examples.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CampaignWorker} in a child JVM started with this JVM's class path, its output going to files
 * so that a chatty child can never block on a full pipe. {@link #kill()} is {@code kill -9}
 * ({@link Process#destroyForcibly()} sends SIGKILL on Linux); {@link #close()} kills too, so a test that
 * fails half-way leaves no worker behind.
 */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos = System.nanoTime();

    private WorkerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts a worker.
     *
     * @param logs where its output goes, as {@code <name>.out} and {@code <name>.err}
     * @param name a name for the files
     * @param args the worker's arguments
     */
    static WorkerProcess start(Path logs, String name, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick to start, quiet: a worker is started up to hundreds of times per campaign.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(),
                CampaignWorker.class.getName()));
        command.addAll(args);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        try {
            Files.createDirectories(logs);
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new WorkerProcess(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a campaign worker", e);
        }
    }

    /** Empties a log directory, so that a run's files are not mixed with an earlier run's. */
    static void clearLogs(Path logs) {
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (var files = Files.list(logs)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty " + logs, e);
        }
    }

    /** Surefire runs tests from a manifest-only jar and keeps the real class path in its own property. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Kills it with SIGKILL and waits until it is gone; returns whether it was still running. */
    boolean kill() {
        boolean wasAlive = process.isAlive();
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Worker " + process.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing a worker", e);
        }
        return wasAlive;
    }

    /** Waits for it to exit by itself; kills it when it does not within the timeout. Returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        throw new IllegalStateException("Worker " + process.pid() + " did not finish within " + timeout
                + "; last output: " + lastLines(5) + " errors: " + errorLines(5));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    long aliveMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Everything it printed to standard output so far. */
    List<String> lines() {
        try {
            return Files.exists(stdout) ? Files.readAllLines(stdout, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines it printed that start with a label, such as {@code PROGRESS}. */
    List<String> lastLines(int count) {
        List<String> lines = lines();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    /** The last lines of its standard error. */
    List<String> errorLines(int count) {
        try {
            List<String> lines = Files.exists(stderr) ? Files.readAllLines(stderr, StandardCharsets.UTF_8) : List.of();
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
