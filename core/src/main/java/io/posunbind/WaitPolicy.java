package io.posunbind;

import io.posunbind.spi.API;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a command keeps its caller: the command always validates and stores its change first; what
 * differs is who runs the case's steps after it, and whether the caller waits for them.
 *
 * <ul>
 *   <li>{@link #inline()} (the default, and the behaviour of every release before 2.0): the caller's thread
 *       runs the case's steps, provider calls included, until the case waits for something or ends, and
 *       gets the case as it stands then. Nothing else is needed, not even a worker.</li>
 *   <li>{@link #none()}: the command stores its change, marks the case due and returns at once; an
 *       {@link UnbindWorker} (of this or another instance) runs the steps. For HTTP handlers and webhook
 *       endpoints that must answer fast, and for opening many cases.</li>
 *   <li>{@link #upTo(Duration)}: as {@code none()}, then the caller waits, at most the timeout, for a
 *       worker to bring the case to its next wait (or end), and gets the case as it stands then, waiting
 *       or not. Today's answer for callers who want it, with a bound on how long they wait.</li>
 * </ul>
 *
 * <p>Choose the default for every command with {@code Unbinder.builder().commandWait(policy)}, for one caller's
 * commands with {@code unbinder.commands(policy)}, or per opening with {@code unbinder.open(request, policy)}.
 * Immutable and thread-safe.
 *
 * @param kind    who runs the steps and whether the caller waits
 * @param timeout how long the caller waits at most; zero unless the kind is {@link Kind#UP_TO}
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record WaitPolicy(Kind kind, Duration timeout) {

    /** Who runs a command's steps, and whether the caller waits for them. */
    @API(status = API.Status.EXPERIMENTAL, since = "2.0")
    public enum Kind {
        /** The caller's thread runs the steps until the case waits or ends. */
        INLINE,
        /** A worker runs the steps; the caller returns once the change is stored. */
        NONE,
        /** A worker runs the steps; the caller waits for the case's next wait, at most the timeout. */
        UP_TO
    }

    /** Checks the fields. */
    public WaitPolicy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timeout, "timeout");
        if (kind == Kind.UP_TO ? timeout.isNegative() || timeout.isZero() : !timeout.isZero()) {
            throw new IllegalArgumentException(kind == Kind.UP_TO ? "timeout must be positive"
                    : "only UP_TO takes a timeout");
        }
    }

    /** The caller's thread runs the steps until the case waits or ends (the default). */
    public static WaitPolicy inline() {
        return new WaitPolicy(Kind.INLINE, Duration.ZERO);
    }

    /** Store the change, mark the case due, return; a worker runs the steps. */
    public static WaitPolicy none() {
        return new WaitPolicy(Kind.NONE, Duration.ZERO);
    }

    /** Store the change, then wait at most {@code timeout} for a worker to bring the case to its next wait. */
    public static WaitPolicy upTo(Duration timeout) {
        return new WaitPolicy(Kind.UP_TO, timeout);
    }

    /** Whether the caller's thread runs the steps. */
    public boolean runsInline() {
        return kind == Kind.INLINE;
    }
}
