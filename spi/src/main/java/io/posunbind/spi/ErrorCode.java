package io.posunbind.spi;

/**
 * A stable, documented error code. Codes are part of the public contract: callers switch on them,
 * dashboards count them, and they never change meaning once released.
 *
 * <p>An interface so that providers can add codes of their own; {@link StandardErrorCode} holds the
 * codes that cross the provider boundary and the core module's {@code CoreErrorCode} the engine's.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface ErrorCode {

    /** The code itself, upper case with a short prefix, for example {@code "PRV-TERMINAL-ACTIVE"}. */
    String code();

    /** Whether trying the same thing again later, unchanged, can succeed. */
    boolean retryable();
}
