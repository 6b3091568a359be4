package io.posunbind.internal.audit;

import io.posunbind.audit.AuditPublicKey;
import io.posunbind.audit.Checkpoint;
import io.posunbind.audit.ProblemKind;
import io.posunbind.audit.SequenceRange;
import io.posunbind.audit.VerificationProblem;
import io.posunbind.audit.VerificationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The verifier's walk along a hash chain. Records are fed in sequence order with {@link #accept}; a list
 * given in any order (a bundle, an exported log) goes through {@link #acceptUnordered} first, which reports
 * duplicates and records out of order and passes on each sequence once.
 *
 * <p>How problems are placed:
 * <ul>
 *   <li>a record whose stored hash does not match its fields is EDITED at its sequence;</li>
 *   <li>a self-consistent record that does not chain to its self-consistent predecessor means the
 *       predecessor was rewritten with a recomputed hash: EDITED at the predecessor, through the record;</li>
 *   <li>a jump in the sequence is DELETED over the missing sequences;</li>
 *   <li>a validly signed checkpoint whose head differs from the record's hash is CHECKPOINT_MISMATCH over
 *       the run from the last matching checkpoint to it, where the rewrite must be;</li>
 *   <li>a validly signed checkpoint beyond the last record is TRUNCATED over the missing sequences.</li>
 * </ul>
 * A link is compared with both its predecessor's claimed and recomputed hash, so one edit gives one
 * problem rather than two.
 *
 * <p>Not thread-safe: one walk per verification.
 */
public final class ChainWalk {

    private final long startSequence;
    private final String startHash;
    private final Optional<String> caseId;
    private final Map<Long, List<CheckpointCheck>> checkpointsBySequence = new TreeMap<>();
    private final List<CheckpointCheck> checkpoints = new ArrayList<>();
    private final List<VerificationProblem> problems = new ArrayList<>();

    private long expected;
    private long previousSequence;
    private String previousClaimed;
    private String previousComputed;
    private long lastGoodCheckpoint;
    private long records;
    private long firstSeen = -1;
    private long lastSeen = -1;

    private static final class CheckpointCheck {
        final Checkpoint checkpoint;
        final boolean signatureValid;
        boolean headMatched;

        CheckpointCheck(Checkpoint checkpoint, boolean signatureValid) {
            this.checkpoint = checkpoint;
            this.signatureValid = signatureValid;
        }
    }

    /**
     * Starts a walk.
     *
     * @param anchor      the signed checkpoint the chain continues from, or empty to start at the trail's first record
     * @param checkpoints the checkpoints to check along the chain (the anchor excluded)
     * @param trustedKeys the public keys signatures are checked with, by key id
     * @param caseId      the case of an evidence bundle, whose records must not be redacted; empty for a log
     */
    public ChainWalk(Optional<Checkpoint> anchor, List<Checkpoint> checkpoints, Map<String, AuditPublicKey> trustedKeys,
            Optional<String> caseId) {
        this.caseId = caseId;
        this.startSequence = anchor.map(Checkpoint::sequence).orElse(0L);
        this.startHash = anchor.map(Checkpoint::headHash).orElse(AuditHashing.GENESIS_HASH);
        this.expected = startSequence + 1;
        this.previousSequence = startSequence;
        this.previousClaimed = startHash;
        this.previousComputed = startHash;
        this.lastGoodCheckpoint = startSequence;
        if (anchor.isPresent()) {
            CheckpointCheck check = check(anchor.get(), trustedKeys, "the anchor checkpoint");
            // The anchor's head is where the chain starts, so it matches by construction once its signature holds.
            check.headMatched = check.signatureValid;
            this.checkpoints.add(check);
        }
        Set<Checkpoint> distinct = new HashSet<>();
        for (Checkpoint checkpoint : checkpoints) {
            if (!distinct.add(checkpoint) || anchor.filter(checkpoint::equals).isPresent()) {
                continue;
            }
            CheckpointCheck check = check(checkpoint, trustedKeys, "checkpoint");
            this.checkpoints.add(check);
            if (checkpoint.sequence() <= startSequence) {
                continue;
            }
            checkpointsBySequence.computeIfAbsent(checkpoint.sequence(), sequence -> new ArrayList<>()).add(check);
        }
    }

    private CheckpointCheck check(Checkpoint checkpoint, Map<String, AuditPublicKey> trustedKeys, String what) {
        AuditPublicKey key = trustedKeys.get(checkpoint.keyId());
        if (key == null) {
            problems.add(VerificationProblem.at(ProblemKind.UNKNOWN_KEY, checkpoint.sequence(), "The " + what + " at "
                    + checkpoint.sequence() + " is signed with key '" + checkpoint.keyId() + "', which is not among "
                    + "the trusted public keys; the records it covers are not proven by it"));
            return new CheckpointCheck(checkpoint, false);
        }
        if (!checkpoint.isSignedBy(key)) {
            problems.add(VerificationProblem.at(ProblemKind.BAD_SIGNATURE, checkpoint.sequence(), "The signature of the "
                    + what + " at " + checkpoint.sequence() + " does not verify with the public key '"
                    + checkpoint.keyId() + "': the checkpoint was forged or changed"));
            return new CheckpointCheck(checkpoint, false);
        }
        return new CheckpointCheck(checkpoint, true);
    }

    /**
     * Feeds links given in any order: a second link with a taken sequence is INSERTED (of several, the one
     * that chains best is kept), a link at or before the start is INSERTED, links outside the longest run in
     * increasing order are REORDERED; then the kept links go through {@link #accept} in sequence order.
     */
    public void acceptUnordered(List<ChainLink> links) {
        Map<Long, List<ChainLink>> bySequence = new LinkedHashMap<>();
        for (ChainLink link : links) {
            if (link.sequence() <= startSequence) {
                problems.add(VerificationProblem.at(ProblemKind.INSERTED, link.sequence(), "Record " + link.sequence()
                        + " lies at or before the start of the chain (sequence " + startSequence + ") and does not belong"));
                continue;
            }
            bySequence.computeIfAbsent(link.sequence(), sequence -> new ArrayList<>()).add(link);
        }
        // Identity, not equality: an inserted exact copy of a record is a second link all the same.
        Set<ChainLink> kept = identitySet();
        for (Map.Entry<Long, List<ChainLink>> candidates : bySequence.entrySet()) {
            ChainLink chosen = candidates.getValue().size() == 1 ? candidates.getValue().get(0)
                    : chooseGenuine(candidates.getKey(), candidates.getValue(), bySequence);
            kept.add(chosen);
            for (ChainLink other : candidates.getValue()) {
                if (other != chosen) {
                    problems.add(VerificationProblem.at(ProblemKind.INSERTED, other.sequence(), "A second record claims "
                            + "sequence " + other.sequence() + " (hash " + shortHash(other.hash()) + "); the one kept "
                            + "chains to its neighbours, this one does not belong"));
                }
            }
        }
        List<ChainLink> inGivenOrder = links.stream().filter(kept::contains).toList();
        Set<ChainLink> inOrder = longestIncreasingRun(inGivenOrder);
        for (int i = 0; i < inGivenOrder.size(); i++) {
            ChainLink link = inGivenOrder.get(i);
            if (!inOrder.contains(link)) {
                String after = i == 0 ? "at the start" : "after record " + inGivenOrder.get(i - 1).sequence();
                problems.add(VerificationProblem.at(ProblemKind.REORDERED, link.sequence(), "Record " + link.sequence()
                        + " is out of sequence order: it appears " + after));
            }
        }
        inGivenOrder.stream().sorted(Comparator.comparingLong(ChainLink::sequence)).forEach(this::accept);
    }

    private ChainLink chooseGenuine(long sequence, List<ChainLink> candidates, Map<Long, List<ChainLink>> bySequence) {
        Set<String> previousHashes = new HashSet<>();
        if (sequence - 1 == startSequence) {
            previousHashes.add(startHash);
        }
        for (ChainLink before : bySequence.getOrDefault(sequence - 1, List.of())) {
            previousHashes.add(before.hash());
            previousHashes.add(before.computedHash());
        }
        Set<String> nextPointsTo = new HashSet<>();
        for (ChainLink after : bySequence.getOrDefault(sequence + 1, List.of())) {
            nextPointsTo.add(after.previousHash());
        }
        ChainLink best = null;
        int bestScore = -1;
        for (ChainLink candidate : candidates) {
            int score = (candidate.selfConsistent() ? 2 : 0)
                    + (previousHashes.contains(candidate.previousHash()) ? 1 : 0)
                    + (nextPointsTo.contains(candidate.hash()) || nextPointsTo.contains(candidate.computedHash()) ? 2 : 0);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /** The links of the longest subsequence with increasing sequences (patience sorting, O(n log n)). */
    private static Set<ChainLink> longestIncreasingRun(List<ChainLink> links) {
        int n = links.size();
        int[] tails = new int[n];
        int[] previous = new int[n];
        Arrays.fill(previous, -1);
        int length = 0;
        for (int i = 0; i < n; i++) {
            long sequence = links.get(i).sequence();
            int low = 0;
            int high = length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (links.get(tails[middle]).sequence() < sequence) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            previous[i] = low > 0 ? tails[low - 1] : -1;
            tails[low] = i;
            if (low == length) {
                length++;
            }
        }
        Set<ChainLink> run = identitySet();
        for (int i = length > 0 ? tails[length - 1] : -1; i >= 0; i = previous[i]) {
            run.add(links.get(i));
        }
        return run;
    }

    /** Feeds the next link; links must come in increasing sequence order. */
    public void accept(ChainLink link) {
        long sequence = link.sequence();
        if (sequence < expected) {
            throw new IllegalArgumentException("Links must come in increasing sequence order: " + sequence
                    + " after " + previousSequence);
        }
        boolean contiguous = sequence == expected;
        if (!contiguous) {
            problems.add(VerificationProblem.over(ProblemKind.DELETED, expected, sequence - 1, (sequence - expected)
                    + " record(s) missing: the chain jumps from " + (expected - 1) + " to " + sequence));
        }
        boolean selfConsistent = link.selfConsistent();
        if (!selfConsistent) {
            problems.add(VerificationProblem.at(ProblemKind.EDITED, sequence, "Record " + sequence
                    + " does not match its stored hash " + shortHash(link.hash()) + ": its content, sequence or "
                    + "previous hash was changed after it was written"));
        }
        if (contiguous && selfConsistent && !link.previousHash().equals(previousClaimed)
                && !link.previousHash().equals(previousComputed)) {
            if (previousSequence == startSequence) {
                String start = startSequence == 0 ? "the start of the trail (64 zeros)"
                        : "the head of the anchor checkpoint at " + startSequence;
                problems.add(VerificationProblem.at(ProblemKind.EDITED, sequence, "Record " + sequence
                        + " does not chain to " + start + ": it was rewritten with a recomputed hash"));
            } else {
                problems.add(VerificationProblem.over(ProblemKind.EDITED, previousSequence, sequence, "Record "
                        + previousSequence + " was rewritten with a recomputed hash: record " + sequence
                        + " chained to " + shortHash(link.previousHash()) + ", not to " + shortHash(previousClaimed)));
            }
        }
        if (link.redacted() && caseId.filter(link.caseId()::equals).isPresent()) {
            problems.add(VerificationProblem.at(ProblemKind.WITHHELD, sequence, "Record " + sequence + " belongs to case "
                    + link.caseId() + " but the bundle shows it redacted, hiding its content"));
        }
        for (CheckpointCheck check : checkpointsBySequence.getOrDefault(sequence, List.of())) {
            if (!check.signatureValid) {
                continue;
            }
            if (link.hasHash(check.checkpoint.headHash())) {
                check.headMatched = true;
                lastGoodCheckpoint = sequence;
            } else {
                problems.add(VerificationProblem.over(ProblemKind.CHECKPOINT_MISMATCH, lastGoodCheckpoint + 1, sequence,
                        "The signed checkpoint at "
                        + sequence + " names head " + shortHash(check.checkpoint.headHash()) + " but record " + sequence
                        + " has hash " + shortHash(link.hash()) + ": records " + (lastGoodCheckpoint + 1) + " to "
                        + sequence + " were rewritten after signing"));
            }
        }
        if (firstSeen < 0) {
            firstSeen = sequence;
        }
        lastSeen = sequence;
        records++;
        previousSequence = sequence;
        previousClaimed = link.hash();
        previousComputed = link.computedHash();
        expected = sequence + 1;
    }

    /** Ends the walk: checks for truncation and sums up. */
    public VerificationReport finish() {
        long end = lastSeen < 0 ? startSequence : lastSeen;
        long truncatedThrough = -1;
        for (CheckpointCheck check : checkpoints) {
            if (check.signatureValid && check.checkpoint.sequence() > end) {
                truncatedThrough = Math.max(truncatedThrough, check.checkpoint.sequence());
            }
        }
        if (truncatedThrough > 0) {
            problems.add(VerificationProblem.over(ProblemKind.TRUNCATED, end + 1, truncatedThrough, "The chain ends at "
                    + end + " but a signed checkpoint covers sequence " + truncatedThrough + ": records " + (end + 1)
                    + " to " + truncatedThrough + " were cut off"));
        }
        long lastSigned = -1;
        int valid = 0;
        Set<String> keyIds = new TreeSet<>();
        for (CheckpointCheck check : checkpoints) {
            if (check.signatureValid && check.headMatched) {
                valid++;
                keyIds.add(check.checkpoint.keyId());
                lastSigned = Math.max(lastSigned, check.checkpoint.sequence());
            }
        }
        Optional<SequenceRange> unsignedTail = Optional.empty();
        long signedThrough = Math.max(lastSigned, startSequence);
        if (lastSeen > signedThrough) {
            unsignedTail = Optional.of(new SequenceRange(Math.max(signedThrough + 1, firstSeen), lastSeen));
        }
        List<VerificationProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingLong((VerificationProblem problem) -> problem.position().first())
                .thenComparing(VerificationProblem::kind));
        return new VerificationReport(sorted, records,
                firstSeen < 0 ? Optional.empty() : Optional.of(new SequenceRange(firstSeen, lastSeen)),
                checkpoints.size(), valid, lastSigned < 0 ? OptionalLong.empty() : OptionalLong.of(lastSigned),
                unsignedTail, List.copyOf(keyIds));
    }

    private static Set<ChainLink> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }

    /** Public keys by key id; a later key with the same id replaces an earlier one. */
    public static Map<String, AuditPublicKey> byKeyId(List<AuditPublicKey> keys) {
        Map<String, AuditPublicKey> byId = new HashMap<>();
        for (AuditPublicKey key : keys) {
            byId.put(key.keyId(), key);
        }
        return byId;
    }
}
