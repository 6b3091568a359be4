package io.posunbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a trail of {@value #RECORDS} records with a checkpoint every {@value #CHECKPOINT_EVERY} (two
 * signing keys, rotated half-way), then tampers with it in every way an attacker with write access to the
 * store or to an evidence bundle could, positions drawn from a seeded {@link Random}, and checks that the
 * verifier reports each tampering at the right position. Tried and detected counts are printed per kind.
 */
class TamperingCampaignTest {

    static final long SEED = 20_250_301L;
    static final int RECORDS = 517;
    static final int CHECKPOINT_EVERY = 50;
    static final int LAST_CHECKPOINT = 500;
    static final int ROUNDS = 8;
    /** A case whose records all lie between two checkpoints far from both ends of the trail. */
    static final String BUNDLE_CASE = "case-echo";

    @TempDir
    static Path keyDirectory;

    static List<AuditRecord> log;
    static List<Checkpoint> checkpoints;
    static List<AuditPublicKey> trusted;
    static Checkpoint witness;
    static EvidenceBundle bundle;
    static AuditSigningKey attacker = AuditSigningKey.generate("attacker");
    static AuditSigningKey impostor = AuditSigningKey.generate("audit-1");

    @BeforeAll
    static void writeTheTrail() {
        Random random = new Random(SEED);
        FileAuditKeyProvider keys = FileAuditKeyProvider.generate(keyDirectory, "audit-1");
        InMemoryAuditStore store = new InMemoryAuditStore();
        TestClock clock = TestClock.at("2025-03-01T08:00:00Z");
        AuditTrail trail = AuditTrail.builder().store(store).keys(keys).clock(clock)
                .checkpointEveryRecords(CHECKPOINT_EVERY).checkpointInterval(Duration.ofDays(1)).build();
        for (int i = 1; i <= RECORDS; i++) {
            if (i == 260) {
                keys.rotate("audit-2");
            }
            boolean echo = i >= 130 && i <= 260 && random.nextInt(10) < 3;
            trail.append(echo ? AuditFixtures.entry(BUNDLE_CASE, i) : AuditFixtures.randomEntry(random, i));
            clock.advance(Duration.ofNanos(1 + random.nextInt(2_000_000_000)));
        }
        log = store.readRange(1, RECORDS);
        checkpoints = store.readCheckpoints(1, Long.MAX_VALUE);
        trusted = FileAuditKeyProvider.readPublicKeys(keyDirectory);
        witness = store.latestCheckpoint().orElseThrow();
        bundle = trail.exportEvidence(BUNDLE_CASE);
    }

    private static AuditVerifier verifier() {
        return AuditVerifier.trusting(trusted);
    }

    @Test
    void theUntouchedTrailAndBundleVerify() {
        assertEquals(RECORDS / CHECKPOINT_EVERY, checkpoints.size());
        assertEquals(LAST_CHECKPOINT, witness.sequence());
        VerificationReport report = verifier().withWitness(witness).verifyLog(log, checkpoints);
        assertTrue(report.intact(), report::describe);
        assertEquals(Optional.of(new SequenceRange(LAST_CHECKPOINT + 1, RECORDS)), report.unsignedTail());

        assertEquals(100, bundle.anchor().orElseThrow().sequence());
        assertEquals(300, bundle.coveringCheckpoint().orElseThrow().sequence());
        VerificationReport bundleReport = verifier().verify(EvidenceBundle.fromJson(bundle.toJson()));
        assertTrue(bundleReport.intact(), bundleReport::describe);
        assertEquals(Optional.empty(), bundleReport.unsignedTail());
    }

    /**
     * What a hash chain alone cannot prove, stated so nobody relies on it: records after the last checkpoint
     * can be rewritten together, and a log cut short with its checkpoints looks whole, unless a checkpoint
     * kept elsewhere (a witness) says otherwise. The report still shows such records as unsigned.
     */
    @Test
    void limitsOfWhatCanBeProvenWithoutAWitness() {
        // The last record rewritten with a recomputed hash: nothing after it, no checkpoint over it.
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(RECORDS - 1, rehash(RecordField.DETAIL.change(log.get(RECORDS - 1), new Random(SEED))));
        VerificationReport tailRewritten = verifier().verifyLog(records, checkpoints);
        assertTrue(tailRewritten.intact());
        assertTrue(tailRewritten.unsignedTail().orElseThrow().contains(RECORDS), "but it is reported as unsigned");

        // Records rewritten from 321 on, the checkpoints over them dropped.
        List<AuditRecord> rewritten = new ArrayList<>(log);
        rewritten.set(320, RecordField.ACTOR_ID.change(log.get(320), new Random(SEED)));
        rewritten = renumberAndRechain(rewritten, 320);
        List<Checkpoint> kept = checkpoints.stream().filter(checkpoint -> checkpoint.sequence() < 321).toList();
        VerificationReport withoutWitness = verifier().verifyLog(rewritten, kept);
        assertTrue(withoutWitness.intact());
        assertEquals(Optional.of(new SequenceRange(301, RECORDS)), withoutWitness.unsignedTail());
        VerificationReport withWitness = verifier().withWitness(witness).verifyLog(rewritten, kept);
        assertEquals(List.of(ProblemKind.CHECKPOINT_MISMATCH), withWitness.problems().stream()
                .map(VerificationProblem::kind).toList());
        assertEquals(new SequenceRange(301, 500), withWitness.problems().get(0).position());
    }

    // --- the campaign ---

    /** One tampered trail or bundle and where its tampering must be reported. */
    private record Variant(String kind, Function<AuditVerifier, VerificationReport> verification,
            Set<ProblemKind> expectedKinds, List<Long> positions, Predicate<VerificationReport> alsoTrue) {

        boolean detected(VerificationReport report) {
            boolean placed = report.problems().stream().anyMatch(problem -> expectedKinds.contains(problem.kind())
                    && positions.stream().anyMatch(problem::concerns));
            return placed && alsoTrue.test(report);
        }
    }

    private static Variant logVariant(String kind, List<AuditRecord> records, List<Checkpoint> checkpointList,
            boolean withWitness, Set<ProblemKind> kinds, long... positions) {
        return new Variant(kind, verifier -> (withWitness ? verifier.withWitness(witness) : verifier)
                .verifyLog(records, checkpointList), kinds, boxed(positions), report -> true);
    }

    private static Variant bundleVariant(String kind, EvidenceBundle tampered, Set<ProblemKind> kinds, long... positions) {
        // Through JSON, as a bundle reaches its verifier.
        String json = tampered.toJson();
        return new Variant(kind, verifier -> verifier.verify(EvidenceBundle.fromJson(json)), kinds, boxed(positions),
                report -> true);
    }

    @Test
    void everyTamperingIsDetectedAtItsPosition() {
        Random random = new Random(SEED);
        List<Function<Random, Variant>> generators = new ArrayList<>();
        for (RecordField field : RecordField.values()) {
            generators.add(r -> editField(r, field));
        }
        generators.addAll(List.of(
                TamperingCampaignTest::editAndRehash,
                TamperingCampaignTest::deleteOne,
                TamperingCampaignTest::deleteRange,
                TamperingCampaignTest::insertForgedDuplicate,
                TamperingCampaignTest::insertExactCopy,
                TamperingCampaignTest::insertAndRenumber,
                TamperingCampaignTest::deleteAndRenumber,
                TamperingCampaignTest::swapTwo,
                TamperingCampaignTest::moveOne,
                TamperingCampaignTest::truncateKeepingCheckpoints,
                TamperingCampaignTest::truncateWithCheckpoints,
                TamperingCampaignTest::replaceSignature,
                TamperingCampaignTest::swapSignatures,
                TamperingCampaignTest::editCheckpointHead,
                TamperingCampaignTest::editCheckpointTime,
                TamperingCampaignTest::moveCheckpoint,
                TamperingCampaignTest::relabelCheckpointKey,
                TamperingCampaignTest::resignWithUnknownKey,
                TamperingCampaignTest::resignWithImpostorKey,
                TamperingCampaignTest::rechainWithoutSignature,
                TamperingCampaignTest::rechainAndDropCheckpoints,
                TamperingCampaignTest::bundleEditCaseRecord,
                TamperingCampaignTest::bundleDropEntry,
                TamperingCampaignTest::bundleEditRedacted,
                TamperingCampaignTest::bundleWithholdCaseRecord,
                TamperingCampaignTest::bundleSwapEntries,
                TamperingCampaignTest::bundleTruncate,
                TamperingCampaignTest::bundleReplaceCheckpointSignature,
                TamperingCampaignTest::bundleTamperAnchor,
                TamperingCampaignTest::bundleInsertForged,
                TamperingCampaignTest::bundleRechain,
                TamperingCampaignTest::bundleResignWithOwnKeys));

        Map<String, int[]> counts = new TreeMap<>();
        List<String> missed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Function<Random, Variant> generator : generators) {
                Variant variant = generator.apply(random);
                VerificationReport report = variant.verification().apply(verifier());
                int[] triedDetected = counts.computeIfAbsent(variant.kind(), kind -> new int[2]);
                triedDetected[0]++;
                if (variant.detected(report)) {
                    triedDetected[1]++;
                } else {
                    missed.add(variant.kind() + " expected " + variant.expectedKinds() + " at " + variant.positions()
                            + "\n" + report.describe());
                }
            }
        }
        int tried = counts.values().stream().mapToInt(c -> c[0]).sum();
        int detected = counts.values().stream().mapToInt(c -> c[1]).sum();
        StringBuilder table = new StringBuilder("Tampering campaign (seed " + SEED + ", " + RECORDS + " records, "
                + checkpoints.size() + " checkpoints, bundle of " + bundle.entries().size() + " entries):\n");
        counts.forEach((kind, c) -> table.append(String.format("  %-56s tried %4d  detected %4d%n", kind, c[0], c[1])));
        table.append(String.format("  %-56s tried %4d  detected %4d%n", "TOTAL", tried, detected));
        System.out.print(table);

        assertTrue(tried >= 200, "the campaign must try at least 200 variants, tried " + tried);
        assertEquals(List.of(), missed.stream().limit(5).toList(), "undetected or misplaced: " + missed.size());
        assertEquals(tried, detected);
    }

    // --- tampering with the stored trail ---

    /** The fields of a record an attacker can change, each changed to another plausible value. */
    enum RecordField {
        SEQUENCE, TIME, ACTOR_ID, ACTOR_ROLE, EVENT_TYPE, OUTCOME, ORIGIN, CASE_ID, TERMINAL_SERIAL,
        MERCHANT_NUMBER, DETAIL, PREVIOUS_HASH, HASH;

        AuditRecord change(AuditRecord r, Random random) {
            AffectedResource res = r.resource();
            return switch (this) {
                case SEQUENCE -> copy(r, r.sequence() + 1 + random.nextInt(RECORDS), r.previousHash(), r.hash());
                case TIME -> new AuditRecord(r.sequence(), r.time().plusSeconds(random.nextBoolean() ? 3600 : -3600),
                        r.actorId(), r.actorRole(), r.eventType(), r.outcome(), r.origin(), res, r.detail(),
                        r.previousHash(), r.hash());
                case ACTOR_ID -> new AuditRecord(r.sequence(), r.time(), "operator:someone.else", r.actorRole(),
                        r.eventType(), r.outcome(), r.origin(), res, r.detail(), r.previousHash(), r.hash());
                case ACTOR_ROLE -> new AuditRecord(r.sequence(), r.time(), r.actorId(),
                        r.actorRole().equals("system") ? "operator" : "system", r.eventType(), r.outcome(), r.origin(),
                        res, r.detail(), r.previousHash(), r.hash());
                case EVENT_TYPE -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(),
                        r.eventType().equals("COMMAND") ? "CASE_FINISHED" : "COMMAND", r.outcome(), r.origin(), res,
                        r.detail(), r.previousHash(), r.hash());
                case OUTCOME -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(), r.eventType(),
                        r.outcome() == AuditOutcome.SUCCESS ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS, r.origin(),
                        res, r.detail(), r.previousHash(), r.hash());
                case ORIGIN -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(), r.eventType(),
                        r.outcome(), r.origin() + "-x", res, r.detail(), r.previousHash(), r.hash());
                case CASE_ID -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(), r.eventType(),
                        r.outcome(), r.origin(), new AffectedResource("case-zulu", res.terminalSerial(),
                        res.merchantNumber()), r.detail(), r.previousHash(), r.hash());
                case TERMINAL_SERIAL -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(),
                        r.eventType(), r.outcome(), r.origin(), new AffectedResource(res.caseId(), "0820009999",
                        res.merchantNumber()), r.detail(), r.previousHash(), r.hash());
                case MERCHANT_NUMBER -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(),
                        r.eventType(), r.outcome(), r.origin(), new AffectedResource(res.caseId(), res.terminalSerial(),
                        "898310058129999"), r.detail(), r.previousHash(), r.hash());
                case DETAIL -> new AuditRecord(r.sequence(), r.time(), r.actorId(), r.actorRole(), r.eventType(),
                        r.outcome(), r.origin(), res, r.detail().replace("event", "evemt"), r.previousHash(), r.hash());
                case PREVIOUS_HASH -> copy(r, r.sequence(), randomHash(random), r.hash());
                case HASH -> copy(r, r.sequence(), r.previousHash(), randomHash(random));
            };
        }
    }

    private static Variant editField(Random random, RecordField field) {
        int n = 1 + random.nextInt(RECORDS);
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(n - 1, field.change(log.get(n - 1), random));
        // A changed sequence shows as the record missing from its place; anything else as an edit of it.
        Set<ProblemKind> kinds = field == RecordField.SEQUENCE ? EnumSet.of(ProblemKind.DELETED) : EnumSet.of(ProblemKind.EDITED);
        return logVariant("edit " + field.name().toLowerCase().replace('_', ' '), records, checkpoints, false, kinds, n);
    }

    private static Variant editAndRehash(Random random) {
        // Not the very last record: with nothing after it and no checkpoint over it, its rewrite is invisible.
        int n = 1 + random.nextInt(RECORDS - 1);
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(n - 1, rehash(RecordField.DETAIL.change(log.get(n - 1), random)));
        return logVariant("edit and recompute its hash", records, checkpoints, false, EnumSet.of(ProblemKind.EDITED), n);
    }

    private static Variant deleteOne(Random random) {
        int n = 1 + random.nextInt(RECORDS - 1);
        List<AuditRecord> records = new ArrayList<>(log);
        records.remove(n - 1);
        return logVariant("delete one record", records, checkpoints, false, EnumSet.of(ProblemKind.DELETED), n);
    }

    private static Variant deleteRange(Random random) {
        int n = 1 + random.nextInt(RECORDS - 30);
        int count = 2 + random.nextInt(20);
        List<AuditRecord> records = new ArrayList<>(log);
        records.subList(n - 1, n - 1 + count).clear();
        return logVariant("delete a range", records, checkpoints, false, EnumSet.of(ProblemKind.DELETED),
                n, n + count - 1);
    }

    private static Variant insertForgedDuplicate(Random random) {
        int n = random.nextInt(RECORDS);              // the forged record claims n + 1 and chains to n
        String previous = n == 0 ? AuditRecord.GENESIS_HASH : log.get(n - 1).hash();
        AuditRecord forged = AuditRecord.chain(n + 1, log.get(n).time(), AuditFixtures.entry("case-alpha", 9999), previous);
        List<AuditRecord> records = new ArrayList<>(log);
        records.add(n, forged);
        return logVariant("insert a forged record (hash recomputed)", records, checkpoints, false,
                EnumSet.of(ProblemKind.INSERTED), n + 1);
    }

    private static Variant insertExactCopy(Random random) {
        int n = 1 + random.nextInt(RECORDS);
        List<AuditRecord> records = new ArrayList<>(log);
        records.add(n, log.get(n - 1));
        return logVariant("insert a copy of a record", records, checkpoints, false, EnumSet.of(ProblemKind.INSERTED), n);
    }

    private static Variant insertAndRenumber(Random random) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        List<AuditRecord> records = new ArrayList<>(log);
        records.add(n - 1, AuditRecord.chain(n, log.get(n - 1).time(), AuditFixtures.entry("case-alpha", 9999),
                AuditRecord.GENESIS_HASH));
        return logVariant("insert, renumber and rechain the rest", renumberAndRechain(records, n - 1), checkpoints, false,
                EnumSet.of(ProblemKind.CHECKPOINT_MISMATCH), n);
    }

    private static Variant deleteAndRenumber(Random random) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        List<AuditRecord> records = new ArrayList<>(log);
        records.remove(n - 1);
        return logVariant("delete, renumber and rechain the rest", renumberAndRechain(records, n - 1), checkpoints, false,
                EnumSet.of(ProblemKind.CHECKPOINT_MISMATCH), n);
    }

    private static Variant swapTwo(Random random) {
        int i = 1 + random.nextInt(RECORDS);
        int j = 1 + random.nextInt(RECORDS);
        while (j == i) {
            j = 1 + random.nextInt(RECORDS);
        }
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(i - 1, log.get(j - 1));
        records.set(j - 1, log.get(i - 1));
        return logVariant("swap two records", records, checkpoints, false, EnumSet.of(ProblemKind.REORDERED), i, j);
    }

    private static Variant moveOne(Random random) {
        int from = random.nextInt(RECORDS);
        int to = random.nextInt(RECORDS - 1);
        while (Math.abs(to - from) < 2) {
            to = random.nextInt(RECORDS - 1);
        }
        List<AuditRecord> records = new ArrayList<>(log);
        AuditRecord moved = records.remove(from);
        records.add(to, moved);
        return logVariant("move one record", records, checkpoints, false, EnumSet.of(ProblemKind.REORDERED),
                moved.sequence());
    }

    private static Variant truncateKeepingCheckpoints(Random random) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        return logVariant("truncate the tail", new ArrayList<>(log.subList(0, n - 1)), checkpoints, false,
                EnumSet.of(ProblemKind.TRUNCATED), n);
    }

    private static Variant truncateWithCheckpoints(Random random) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        List<Checkpoint> kept = checkpoints.stream().filter(checkpoint -> checkpoint.sequence() < n).toList();
        return logVariant("truncate the tail and its checkpoints (witness)", new ArrayList<>(log.subList(0, n - 1)),
                kept, true, EnumSet.of(ProblemKind.TRUNCATED), n);
    }

    private static Variant replaceSignature(Random random) {
        int c = random.nextInt(checkpoints.size());
        byte[] signature = new byte[64];
        random.nextBytes(signature);
        List<Checkpoint> list = new ArrayList<>(checkpoints);
        Checkpoint original = list.get(c);
        list.set(c, new Checkpoint(original.sequence(), original.headHash(), original.time(), original.keyId(),
                Base64.getEncoder().encodeToString(signature)));
        return logVariant("replace a checkpoint signature", log, list, false, EnumSet.of(ProblemKind.BAD_SIGNATURE),
                original.sequence());
    }

    private static Variant swapSignatures(Random random) {
        int a = random.nextInt(checkpoints.size());
        int b = (a + 1 + random.nextInt(checkpoints.size() - 1)) % checkpoints.size();
        List<Checkpoint> list = new ArrayList<>(checkpoints);
        Checkpoint first = list.get(a);
        Checkpoint second = list.get(b);
        list.set(a, new Checkpoint(first.sequence(), first.headHash(), first.time(), first.keyId(), second.signature()));
        list.set(b, new Checkpoint(second.sequence(), second.headHash(), second.time(), second.keyId(), first.signature()));
        return logVariant("swap two checkpoint signatures", log, list, false, EnumSet.of(ProblemKind.BAD_SIGNATURE),
                first.sequence());
    }

    private static Variant editCheckpointHead(Random random) {
        int c = random.nextInt(checkpoints.size());
        Checkpoint original = checkpoints.get(c);
        List<Checkpoint> list = new ArrayList<>(checkpoints);
        list.set(c, new Checkpoint(original.sequence(), randomHash(random), original.time(), original.keyId(),
                original.signature()));
        return logVariant("edit a checkpoint's head", log, list, false, EnumSet.of(ProblemKind.BAD_SIGNATURE),
                original.sequence());
    }

    private static Variant editCheckpointTime(Random random) {
        int c = random.nextInt(checkpoints.size());
        Checkpoint original = checkpoints.get(c);
        List<Checkpoint> list = new ArrayList<>(checkpoints);
        list.set(c, new Checkpoint(original.sequence(), original.headHash(), original.time().minusSeconds(86_400),
                original.keyId(), original.signature()));
        return logVariant("edit a checkpoint's time", log, list, false, EnumSet.of(ProblemKind.BAD_SIGNATURE),
                original.sequence());
    }

    private static Variant moveCheckpoint(Random random) {
        // Claim an earlier head was signed later: the sequence and head of another record, the old signature.
        int c = random.nextInt(checkpoints.size());
        Checkpoint original = checkpoints.get(c);
        int n = 1 + random.nextInt(RECORDS);
        while (n == original.sequence()) {
            n = 1 + random.nextInt(RECORDS);
        }
        List<Checkpoint> list = new ArrayList<>(checkpoints);
        list.set(c, new Checkpoint(n, log.get(n - 1).hash(), original.time(), original.keyId(), original.signature()));
        return logVariant("move a checkpoint to another record", log, list, false,
                EnumSet.of(ProblemKind.BAD_SIGNATURE), n);
    }

    private static Variant relabelCheckpointKey(Random random) {
        int c = random.nextInt(checkpoints.size());
        Checkpoint original = checkpoints.get(c);
        boolean unknown = random.nextBoolean();
        String keyId = unknown ? "audit-9" : original.keyId().equals("audit-1") ? "audit-2" : "audit-1";
        List<Checkpoint> list = new ArrayList<>(checkpoints);
        list.set(c, new Checkpoint(original.sequence(), original.headHash(), original.time(), keyId, original.signature()));
        return logVariant("relabel a checkpoint's key id", log, list, false,
                EnumSet.of(unknown ? ProblemKind.UNKNOWN_KEY : ProblemKind.BAD_SIGNATURE), original.sequence());
    }

    private static Variant resignWithUnknownKey(Random random) {
        return resign(random, attacker, "edit, rechain, sign with an unknown key", ProblemKind.UNKNOWN_KEY);
    }

    private static Variant resignWithImpostorKey(Random random) {
        return resign(random, impostor, "edit, rechain, sign with a forged key of a trusted id",
                ProblemKind.BAD_SIGNATURE);
    }

    private static Variant resign(Random random, AuditSigningKey key, String kind, ProblemKind expected) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(n - 1, RecordField.ACTOR_ID.change(log.get(n - 1), random));
        List<AuditRecord> rewritten = renumberAndRechain(records, n - 1);
        List<Checkpoint> list = new ArrayList<>();
        for (Checkpoint checkpoint : checkpoints) {
            list.add(checkpoint.sequence() < n ? checkpoint : Checkpoint.sign(checkpoint.sequence(),
                    rewritten.get((int) checkpoint.sequence() - 1).hash(), checkpoint.time(), key));
        }
        long firstResigned = ((n + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
        Variant variant = logVariant(kind, rewritten, list, false, EnumSet.of(expected), firstResigned);
        // And no signature vouches for the rewritten record.
        return new Variant(variant.kind(), variant.verification(), variant.expectedKinds(), variant.positions(),
                report -> report.lastSignedSequence().orElse(0) < n);
    }

    private static Variant rechainWithoutSignature(Random random) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(n - 1, RecordField.OUTCOME.change(log.get(n - 1), random));
        return logVariant("edit and rechain everything after it", renumberAndRechain(records, n - 1), checkpoints,
                false, EnumSet.of(ProblemKind.CHECKPOINT_MISMATCH), n);
    }

    private static Variant rechainAndDropCheckpoints(Random random) {
        int n = 1 + random.nextInt(LAST_CHECKPOINT);
        List<AuditRecord> records = new ArrayList<>(log);
        records.set(n - 1, RecordField.MERCHANT_NUMBER.change(log.get(n - 1), random));
        List<Checkpoint> kept = checkpoints.stream().filter(checkpoint -> checkpoint.sequence() < n).toList();
        return logVariant("edit, rechain, drop later checkpoints (witness)", renumberAndRechain(records, n - 1), kept,
                true, EnumSet.of(ProblemKind.CHECKPOINT_MISMATCH), n);
    }

    // --- tampering with an evidence bundle ---

    private static int randomEntryIndex(Random random, boolean ofTheCase) {
        List<EvidenceEntry> entries = bundle.entries();
        while (true) {
            int index = random.nextInt(entries.size());
            if ((entries.get(index) instanceof EvidenceEntry.Full) == ofTheCase) {
                return index;
            }
        }
    }

    private static EvidenceBundle withEntries(List<EvidenceEntry> entries) {
        return new EvidenceBundle(bundle.format(), bundle.caseId(), bundle.exportedAt(), bundle.anchor(), entries,
                bundle.checkpoints(), bundle.publicKeys());
    }

    private static Variant bundleEditCaseRecord(Random random) {
        int index = randomEntryIndex(random, true);
        RecordField field = RecordField.values()[1 + random.nextInt(RecordField.values().length - 1)];
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        AuditRecord record = ((EvidenceEntry.Full) entries.get(index)).record();
        entries.set(index, new EvidenceEntry.Full(field.change(record, random)));
        return bundleVariant("bundle: edit a case record", withEntries(entries), EnumSet.of(ProblemKind.EDITED),
                record.sequence());
    }

    private static Variant bundleDropEntry(Random random) {
        boolean ofTheCase = random.nextBoolean();
        int index = randomEntryIndex(random, ofTheCase);
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        EvidenceEntry dropped = entries.remove(index);
        // The last entry is the covering checkpoint's record: dropping it cuts the bundle short.
        return bundleVariant("bundle: drop " + (ofTheCase ? "a case record" : "a redacted link"), withEntries(entries),
                EnumSet.of(ProblemKind.DELETED, ProblemKind.TRUNCATED), dropped.sequence());
    }

    private static Variant bundleEditRedacted(Random random) {
        int index = randomEntryIndex(random, false);
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        EvidenceEntry.Redacted link = (EvidenceEntry.Redacted) entries.get(index);
        EvidenceEntry.Redacted edited = random.nextBoolean()
                ? new EvidenceEntry.Redacted(link.sequence(), link.caseId(), randomHash(random), link.previousHash(), link.hash())
                : new EvidenceEntry.Redacted(link.sequence(), "case-zulu", link.contentDigest(), link.previousHash(), link.hash());
        entries.set(index, edited);
        return bundleVariant("bundle: edit a redacted link", withEntries(entries), EnumSet.of(ProblemKind.EDITED),
                link.sequence());
    }

    private static Variant bundleWithholdCaseRecord(Random random) {
        int index = randomEntryIndex(random, true);
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        AuditRecord record = ((EvidenceEntry.Full) entries.get(index)).record();
        entries.set(index, EvidenceEntry.Redacted.of(record));
        return bundleVariant("bundle: hide a case record as redacted", withEntries(entries),
                EnumSet.of(ProblemKind.WITHHELD), record.sequence());
    }

    private static Variant bundleSwapEntries(Random random) {
        int i = random.nextInt(bundle.entries().size());
        int j = random.nextInt(bundle.entries().size());
        while (j == i) {
            j = random.nextInt(bundle.entries().size());
        }
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        entries.set(i, bundle.entries().get(j));
        entries.set(j, bundle.entries().get(i));
        return bundleVariant("bundle: swap two entries", withEntries(entries), EnumSet.of(ProblemKind.REORDERED),
                bundle.entries().get(i).sequence(), bundle.entries().get(j).sequence());
    }

    private static Variant bundleTruncate(Random random) {
        int keep = random.nextInt(bundle.entries().size());
        long firstCut = bundle.entries().get(keep).sequence();
        return bundleVariant("bundle: cut the end off", withEntries(new ArrayList<>(bundle.entries().subList(0, keep))),
                EnumSet.of(ProblemKind.TRUNCATED), firstCut);
    }

    private static Variant bundleReplaceCheckpointSignature(Random random) {
        List<Checkpoint> list = new ArrayList<>(bundle.checkpoints());
        int c = random.nextInt(list.size());
        Checkpoint original = list.get(c);
        byte[] signature = Base64.getDecoder().decode(original.signature());
        signature[random.nextInt(signature.length)] ^= (byte) (1 << random.nextInt(8));
        list.set(c, new Checkpoint(original.sequence(), original.headHash(), original.time(), original.keyId(),
                Base64.getEncoder().encodeToString(signature)));
        return bundleVariant("bundle: flip a bit of a checkpoint signature", new EvidenceBundle(bundle.format(),
                bundle.caseId(), bundle.exportedAt(), bundle.anchor(), bundle.entries(), list, bundle.publicKeys()),
                EnumSet.of(ProblemKind.BAD_SIGNATURE), original.sequence());
    }

    private static Variant bundleTamperAnchor(Random random) {
        Checkpoint anchor = bundle.anchor().orElseThrow();
        Optional<Checkpoint> tampered;
        Set<ProblemKind> kinds;
        switch (random.nextInt(3)) {
            case 0 -> {
                tampered = Optional.of(new Checkpoint(anchor.sequence(), randomHash(random), anchor.time(), anchor.keyId(),
                        anchor.signature()));
                kinds = EnumSet.of(ProblemKind.BAD_SIGNATURE);
            }
            case 1 -> {
                tampered = Optional.empty();            // the chain would have to start at record 1
                kinds = EnumSet.of(ProblemKind.DELETED);
            }
            default -> {
                tampered = Optional.of(checkpoints.get(0));  // a valid but earlier checkpoint
                kinds = EnumSet.of(ProblemKind.DELETED);
            }
        }
        return bundleVariant("bundle: tamper with the anchor", new EvidenceBundle(bundle.format(), bundle.caseId(),
                bundle.exportedAt(), tampered, bundle.entries(), bundle.checkpoints(), bundle.publicKeys()), kinds,
                anchor.sequence());
    }

    private static Variant bundleInsertForged(Random random) {
        int index = random.nextInt(bundle.entries().size());
        EvidenceEntry original = bundle.entries().get(index);
        AuditRecord forged = AuditRecord.chain(original.sequence(), log.get((int) original.sequence() - 1).time(),
                AuditFixtures.entry(BUNDLE_CASE, 9999), original.previousHash());
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        entries.add(index + random.nextInt(2), new EvidenceEntry.Full(forged));
        return bundleVariant("bundle: insert a forged case record", withEntries(entries),
                EnumSet.of(ProblemKind.INSERTED), original.sequence());
    }

    private static Variant bundleRechain(Random random) {
        int index = randomEntryIndex(random, true);
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        AuditRecord record = ((EvidenceEntry.Full) entries.get(index)).record();
        entries.set(index, new EvidenceEntry.Full(RecordField.DETAIL.change(record, random)));
        return bundleVariant("bundle: edit and rechain the rest", withEntries(rechainEntries(entries, index)),
                EnumSet.of(ProblemKind.CHECKPOINT_MISMATCH), record.sequence());
    }

    private static Variant bundleResignWithOwnKeys(Random random) {
        // The attacker rewrites, re-signs with their own key under a trusted id and ships that key in the
        // bundle; the verifier trusts the operator's published keys, not the bundle's.
        int index = randomEntryIndex(random, true);
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        AuditRecord record = ((EvidenceEntry.Full) entries.get(index)).record();
        entries.set(index, new EvidenceEntry.Full(RecordField.OUTCOME.change(record, random)));
        List<EvidenceEntry> rewritten = rechainEntries(entries, index);
        List<Checkpoint> list = new ArrayList<>();
        AuditSigningKey key = AuditSigningKey.generate(bundle.checkpoints().get(0).keyId());
        long firstResigned = -1;
        for (Checkpoint checkpoint : bundle.checkpoints()) {
            if (checkpoint.sequence() < record.sequence()) {
                list.add(checkpoint);
                continue;
            }
            String head = rewritten.stream().filter(entry -> entry.sequence() == checkpoint.sequence()).findFirst()
                    .orElseThrow().hash();
            list.add(Checkpoint.sign(checkpoint.sequence(), head, checkpoint.time(), key));
            firstResigned = firstResigned < 0 ? checkpoint.sequence() : firstResigned;
        }
        EvidenceBundle tampered = new EvidenceBundle(bundle.format(), bundle.caseId(), bundle.exportedAt(),
                bundle.anchor(), rewritten, list, List.of(key.publicKey()));
        return bundleVariant("bundle: rewrite and re-sign with own key", tampered,
                EnumSet.of(ProblemKind.BAD_SIGNATURE, ProblemKind.UNKNOWN_KEY), firstResigned);
    }

    // --- helpers ---

    private static List<Long> boxed(long... positions) {
        List<Long> list = new ArrayList<>();
        for (long position : positions) {
            list.add(position);
        }
        return list;
    }

    static String randomHash(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static AuditRecord copy(AuditRecord r, long sequence, String previousHash, String hash) {
        return new AuditRecord(sequence, r.time(), r.actorId(), r.actorRole(), r.eventType(), r.outcome(), r.origin(),
                r.resource(), r.detail(), previousHash, hash);
    }

    static AuditRecord rehash(AuditRecord record) {
        return record.withHash(record.computeHash());
    }

    /** From index {@code from} on: sequence numbers made contiguous again and every hash recomputed. */
    static List<AuditRecord> renumberAndRechain(List<AuditRecord> records, int from) {
        List<AuditRecord> out = new ArrayList<>(records);
        for (int i = from; i < out.size(); i++) {
            String previous = i == 0 ? AuditRecord.GENESIS_HASH : out.get(i - 1).hash();
            out.set(i, rehash(copy(out.get(i), i + 1, previous, "")));
        }
        return out;
    }

    private static List<EvidenceEntry> rechainEntries(List<EvidenceEntry> entries, int from) {
        List<EvidenceEntry> out = new ArrayList<>(entries);
        for (int i = from; i < out.size(); i++) {
            String previous = out.get(i - 1 < 0 ? 0 : i - 1).hash();
            if (i == 0) {
                previous = bundle.anchor().map(Checkpoint::headHash).orElse(AuditRecord.GENESIS_HASH);
            }
            EvidenceEntry entry = out.get(i);
            if (entry instanceof EvidenceEntry.Full full) {
                out.set(i, new EvidenceEntry.Full(rehash(copy(full.record(), full.sequence(), previous, ""))));
            } else {
                EvidenceEntry.Redacted link = (EvidenceEntry.Redacted) entry;
                EvidenceEntry.Redacted relinked = new EvidenceEntry.Redacted(link.sequence(), link.caseId(),
                        link.contentDigest(), previous, "");
                out.set(i, new EvidenceEntry.Redacted(link.sequence(), link.caseId(), link.contentDigest(), previous,
                        relinked.computeHash()));
            }
        }
        return out;
    }
}
