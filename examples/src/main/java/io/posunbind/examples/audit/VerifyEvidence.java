package io.posunbind.examples.audit;

import io.posunbind.audit.AuditPublicKey;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditVerifier;
import io.posunbind.audit.EvidenceBundle;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.VerificationReport;
import io.posunbind.spi.PosUnbindException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a case's evidence bundle offline and says whether it is intact:
 * <pre>
 * VerifyEvidence &lt;bundle.json&gt; [--keys &lt;directory of *.pub.pem&gt;] [--require-signed]
 * </pre>
 * Give {@code --keys} the operator's published public keys: without it the keys inside the bundle are used,
 * which proves only that the bundle agrees with itself (anyone who rewrites a bundle can replace its keys),
 * so their fingerprints are printed to compare with the published ones. With {@code --require-signed}
 * records not yet covered by a signed checkpoint count as a failure.
 *
 * <p>Exit status: 0 intact, 2 tampering found (or unsigned records with {@code --require-signed}), 1 bad
 * input (arguments, unreadable file, not a bundle, unreadable keys).
 *
 * <p>Run it from the project's root directory:
 * <pre>
 * mvn -q -B -pl spi,core,examples -am compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime
 * java -cp examples/target/classes:$(cat examples/target/runtime.classpath) \
 *     io.posunbind.examples.audit.VerifyEvidence case.evidence.json --keys published-keys
 * </pre>
 */
public final class VerifyEvidence {

    /** Exit status of an intact bundle. */
    public static final int INTACT = 0;
    /** Exit status of bad input. */
    public static final int BAD_INPUT = 1;
    /** Exit status when tampering was found. */
    public static final int TAMPERED = 2;

    private VerifyEvidence() {
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @return the exit status: {@link #INTACT}, {@link #TAMPERED} or {@link #BAD_INPUT}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path bundleFile = null;
        Path keyDirectory = null;
        boolean requireSigned = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--keys needs a directory");
                    }
                    keyDirectory = Path.of(args[++i]);
                }
                case "--require-signed" -> requireSigned = true;
                default -> {
                    if (args[i].startsWith("--") || bundleFile != null) {
                        return usage(err, "unexpected argument " + args[i]);
                    }
                    bundleFile = Path.of(args[i]);
                }
            }
        }
        if (bundleFile == null) {
            return usage(err, "name the evidence bundle to check");
        }

        EvidenceBundle bundle;
        List<AuditPublicKey> trustedKeys;
        try {
            bundle = EvidenceBundle.readFrom(bundleFile);
            if (keyDirectory != null && !Files.isDirectory(keyDirectory)) {
                err.println("error: the key directory " + keyDirectory + " does not exist");
                return BAD_INPUT;
            }
            trustedKeys = keyDirectory == null ? bundle.publicKeys() : FileAuditKeyProvider.readPublicKeys(keyDirectory);
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return BAD_INPUT;
        } catch (PosUnbindException e) {
            err.println("error: " + e.getMessage());
            return BAD_INPUT;
        }

        describeBundle(bundle, out);
        describeKeys(bundle, trustedKeys, keyDirectory, out);
        VerificationReport report = AuditVerifier.trusting(trustedKeys).verify(bundle);
        out.println();
        out.print(report.describe());
        describeCaseRecords(bundle, out);

        if (!report.intact()) {
            return TAMPERED;
        }
        if (requireSigned && report.unsignedTail().isPresent()) {
            out.println("FAILED: records " + report.unsignedTail().get() + " are not covered by a signed checkpoint "
                    + "(--require-signed)");
            return TAMPERED;
        }
        return INTACT;
    }

    private static void describeBundle(EvidenceBundle bundle, PrintStream out) {
        out.println("Evidence for case " + bundle.caseId() + ", exported " + bundle.exportedAt());
        String range = bundle.entries().isEmpty() ? "empty"
                : bundle.entries().get(0).sequence() + ".." + bundle.entries().get(bundle.entries().size() - 1).sequence();
        out.println("  " + bundle.caseRecords().size() + " record(s) of the case in a chain of " + bundle.entries().size()
                + " (sequence " + range + "), anchor " + bundle.anchor().map(anchor -> "at " + anchor.sequence())
                .orElse("none (chain from the first record)") + ", " + bundle.checkpoints().size() + " checkpoint(s)");
    }

    private static void describeKeys(EvidenceBundle bundle, List<AuditPublicKey> trustedKeys, Path keyDirectory,
            PrintStream out) {
        if (keyDirectory == null) {
            out.println("WARNING: no --keys given; checking against the keys inside the bundle, which proves only that");
            out.println("         the bundle agrees with itself. Compare these fingerprints with the operator's published keys:");
        } else {
            out.println("Trusted keys from " + keyDirectory + ":");
        }
        for (AuditPublicKey key : trustedKeys) {
            out.println("  " + key.keyId() + "  SHA-256 " + key.fingerprint());
        }
        Map<String, AuditPublicKey> trustedById = trustedKeys.stream()
                .collect(Collectors.toMap(AuditPublicKey::keyId, Function.identity(), (first, second) -> second));
        for (AuditPublicKey carried : bundle.publicKeys()) {
            Optional<AuditPublicKey> trusted = Optional.ofNullable(trustedById.get(carried.keyId()));
            if (trusted.isPresent() && !trusted.get().sameKeyAs(carried)) {
                out.println("NOTE: the bundle carries another key under the id '" + carried.keyId()
                        + "' than the trusted one (SHA-256 " + carried.fingerprint() + ")");
            }
        }
    }

    private static void describeCaseRecords(EvidenceBundle bundle, PrintStream out) {
        List<AuditRecord> records = bundle.caseRecords();
        if (records.isEmpty()) {
            return;
        }
        out.println("Records of case " + bundle.caseId() + ":");
        for (AuditRecord record : records) {
            out.println(String.format("  %6d  %s  %-8s %-22s %s (%s) via %s, terminal %s, merchant %s: %s",
                    record.sequence(), record.time(), record.outcome(), record.eventType(), record.actorId(),
                    record.actorRole(), record.origin(), orDash(record.resource().terminalSerial()),
                    orDash(record.resource().merchantNumber()), record.detail()));
        }
    }

    private static String orDash(String text) {
        return text.isEmpty() ? "-" : text;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.println("usage: VerifyEvidence <bundle.json> [--keys <directory of *.pub.pem>] [--require-signed]");
        return BAD_INPUT;
    }
}
