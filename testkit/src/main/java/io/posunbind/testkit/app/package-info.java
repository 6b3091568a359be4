/**
 * For application developers' tests: {@link io.posunbind.testkit.app.UnbinderTestEnvironment} runs a real
 * {@link io.posunbind.Unbinder} on an in-memory store and a {@link io.posunbind.testkit.app.TestClock},
 * so a test lets days pass in microseconds and runs the timers that fell due.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.testkit.app;
