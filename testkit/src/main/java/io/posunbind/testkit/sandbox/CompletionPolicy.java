package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * When the sandbox finishes the operations that a real acquirer reviews asynchronously: the
 * settlement-account unbind and the unbind application. Set it with
 * {@link SandboxBackend#setCompletionPolicy(CompletionPolicy)}; the policy in force when the sandbox is
 * next asked decides.
 *
 * <ul>
 *   <li>{@link #manual()} (the default): the operation stays pending until a test calls
 *       {@link SandboxReviews#completePending(String)}, {@link SandboxReviews#rejectPending},
 *       {@link SandboxReviews#approve(String)} or {@link SandboxReviews#decide}.</li>
 *   <li>{@link #immediate()}: the operation answers {@code Done} at once and an application is approved
 *       at once, so a benchmark runs the happy path with no latency.</li>
 *   <li>{@link #afterPolls(int)}: the operation completes (an application is approved) on its n-th poll,
 *       a poll being a {@code lookup} of the operation or a {@code readDecision} of the application;
 *       that poll already sees the completion.</li>
 *   <li>{@link #after(Duration)}: the operation completes (an application is approved) once the sandbox
 *       clock has reached the moment it was accepted plus the duration.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class CompletionPolicy {

    /** Which rule a policy applies. */
    enum Mode { MANUAL, IMMEDIATE, AFTER_POLLS, AFTER_DURATION }

    private static final Duration MANUAL_POLL_INTERVAL = Duration.ofMinutes(5);

    private final Mode mode;
    private final int polls;
    private final Duration delay;

    private CompletionPolicy(Mode mode, int polls, Duration delay) {
        this.mode = mode;
        this.polls = polls;
        this.delay = delay;
    }

    /** Pending until a test completes the operation. */
    public static CompletionPolicy manual() {
        return new CompletionPolicy(Mode.MANUAL, 0, Duration.ZERO);
    }

    /** Done at once, applications approved at once. */
    public static CompletionPolicy immediate() {
        return new CompletionPolicy(Mode.IMMEDIATE, 0, Duration.ZERO);
    }

    /**
     * Complete on the given poll.
     *
     * @param polls at least 1; 1 means the first poll already sees the operation done
     */
    public static CompletionPolicy afterPolls(int polls) {
        if (polls < 1) {
            throw new IllegalArgumentException("polls must be at least 1, was " + polls
                    + "; use immediate() for no pending phase");
        }
        return new CompletionPolicy(Mode.AFTER_POLLS, polls, Duration.ZERO);
    }

    /**
     * Complete once the given time has passed on the sandbox clock after the operation was accepted.
     *
     * @param delay not negative
     */
    public static CompletionPolicy after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new CompletionPolicy(Mode.AFTER_DURATION, 0, delay);
    }

    Mode mode() {
        return mode;
    }

    int polls() {
        return polls;
    }

    Duration delay() {
        return delay;
    }

    /** The poll interval the sandbox suggests in its {@code Pending} answers under this policy. */
    Duration pollAfter() {
        return switch (mode) {
            case MANUAL -> MANUAL_POLL_INTERVAL;
            case IMMEDIATE, AFTER_POLLS -> Duration.ZERO;
            case AFTER_DURATION -> delay;
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case MANUAL -> "manual";
            case IMMEDIATE -> "immediate";
            case AFTER_POLLS -> "after " + polls + " polls";
            case AFTER_DURATION -> "after " + delay;
        };
    }
}
