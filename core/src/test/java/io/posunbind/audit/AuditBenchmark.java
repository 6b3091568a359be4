package io.posunbind.audit;

import io.posunbind.internal.audit.AuditHashing;
import io.posunbind.internal.audit.Ed25519Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A rough benchmark of the audit trail, run by hand (not a test; nothing here asserts a time):
 * <pre>
 * mvn -q -B -pl spi,core -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp core/target/test-classes:core/target/classes:$(cat core/target/test.classpath) \
 *     io.posunbind.audit.AuditBenchmark [records]
 * </pre>
 * Prints the cost of one Ed25519 signature and verification, records appended per second with a
 * checkpoint signed every 1,000 records (in memory and on an H2 file), and verifier speed.
 */
public final class AuditBenchmark {

    private static final int CHECKPOINT_EVERY = 1_000;

    private AuditBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path directory = Files.createTempDirectory("posunbind-audit-benchmark");
        try {
            System.out.printf(Locale.ROOT, "posunbind audit benchmark: %,d records, checkpoint every %,d, Java %s, %d cpus%n",
                    records, CHECKPOINT_EVERY, Runtime.version(), Runtime.getRuntime().availableProcessors());
            FileAuditKeyProvider keys = FileAuditKeyProvider.generate(directory.resolve("keys"), "bench");
            signing(keys.currentSigningKey());
            hashing();

            InMemoryAuditStore memory = new InMemoryAuditStore();
            append("in-memory store", memory, keys, records / 10, records);
            verify("in-memory store", memory, keys);

            try (JdbcAuditStore h2 = JdbcAuditStore.h2File(directory.resolve("h2"))) {
                append("H2 file store", h2, keys, records / 20, records / 2);
                verify("H2 file store", h2, keys);
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void signing(AuditSigningKey key) {
        byte[] message = AuditHashing.checkpointMessage(1_000, AuditRecord.GENESIS_HASH,
                java.time.Instant.parse("2025-03-01T08:00:00Z"), key.keyId());
        AuditPublicKey publicKey = key.publicKey();
        int n = 20_000;
        byte[] signature = null;
        for (int i = 0; i < n; i++) {               // warm-up
            signature = key.sign(message);
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            signature = key.sign(message);
        }
        double signMicros = (System.nanoTime() - start) / 1_000.0 / n;
        Ed25519PublicKeyParameters parsed = Ed25519Keys.readPublicKeyPem(publicKey.pem());
        boolean valid = true;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            valid &= Ed25519Keys.verify(parsed, message, signature);
        }
        double verifyMicros = (System.nanoTime() - start) / 1_000.0 / n;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            valid &= publicKey.verifies(message, signature);
        }
        double verifyWithPemMicros = (System.nanoTime() - start) / 1_000.0 / n;
        System.out.printf(Locale.ROOT, "Ed25519 sign: %.1f us per signature (%,.0f/s); verify: %.1f us "
                + "(%.1f us with the PEM parse AuditPublicKey.verifies does)%s%n",
                signMicros, 1e6 / signMicros, verifyMicros, verifyWithPemMicros, valid ? "" : " INVALID?");
    }

    private static void hashing() {
        AuditEntry entry = AuditFixtures.entry("case-alpha", 1);
        java.time.Instant time = java.time.Instant.parse("2025-03-01T08:00:00Z");
        int n = 200_000;
        String previous = AuditRecord.GENESIS_HASH;
        for (int i = 0; i < n; i++) {
            previous = AuditRecord.chain(i + 1, time, entry, previous).hash();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            previous = AuditRecord.chain(i + 1, time, entry, previous).hash();
        }
        double micros = (System.nanoTime() - start) / 1_000.0 / n;
        System.out.printf(Locale.ROOT, "record hashing (content digest + chain hash): %.2f us per record%n", micros);
    }

    private static void append(String name, AuditStore store, AuditKeyProvider keys, int warmUp, int measured) {
        AuditTrail trail = AuditTrail.builder().store(store).keys(keys).checkpointEveryRecords(CHECKPOINT_EVERY)
                .checkpointInterval(Duration.ofHours(1)).build();
        List<AuditEntry> entries = List.of(AuditFixtures.entry("case-alpha", 1), AuditFixtures.entry("case-bravo", 2),
                AuditFixtures.entry("case-charlie", 3), AuditFixtures.entry("case-delta", 4));
        for (int i = 0; i < warmUp; i++) {
            trail.append(entries.get(i & 3));
        }
        long start = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            trail.append(entries.get(i & 3));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "append, %s: %,.0f records/s (%,d records in %.2f s, %d checkpoints signed)%n",
                name, measured / seconds, measured, seconds, measured / CHECKPOINT_EVERY);
    }

    private static void verify(String name, AuditStore store, AuditKeyProvider keys) {
        AuditVerifier verifier = AuditVerifier.trusting(keys);
        verifier.verifyStore(store);                   // warm-up
        long start = System.nanoTime();
        VerificationReport report = verifier.verifyStore(store);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "verify, %s: %,.0f records/s (%,d records, %d checkpoints in %.2f s, %s)%n",
                name, report.recordsChecked() / seconds, report.recordsChecked(), report.checkpointsChecked(), seconds,
                report.intact() ? "intact" : "NOT INTACT");
        if (store instanceof InMemoryAuditStore) {
            List<AuditRecord> all = store.readRange(1, Long.MAX_VALUE);
            List<Checkpoint> checkpoints = store.readCheckpoints(1, Long.MAX_VALUE);
            start = System.nanoTime();
            report = verifier.verifyLog(all, checkpoints);
            seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "verify, log given as lists (order checks included): %,.0f records/s%n",
                    report.recordsChecked() / seconds);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
