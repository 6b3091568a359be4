package io.posunbind.testkit.sandbox;

/**
 * The sandbox's reference numbers (operation, application, transaction and quote references): a prefix
 * and a sequence, {@code SBX-APP-000001}, which a persistent sandbox continues after a restart, so a
 * reference is never given twice. Not thread-safe: {@link SandboxBackend} calls it under its lock.
 */
final class ReferenceNumbers {

    private long sequence;

    ReferenceNumbers(long sequence) {
        this.sequence = sequence;
    }

    /** Goes on after the last number a persistent sandbox drew before it restarted. */
    void continueAfter(long last) {
        sequence = Math.max(sequence, last);
    }

    /** The next reference under this prefix. */
    String next(String prefix) {
        sequence++;
        return String.format("%s-%06d", prefix, sequence);
    }

    /** The last number drawn, so a persistent sandbox restarts after it and never repeats a reference. */
    long last() {
        return sequence;
    }
}
