/**
 * A sandbox payment provider that behaves like a real acquirer, for demos, scenario tests and
 * benchmarks of the posunbind engine.
 *
 * <p>Start at {@link io.posunbind.testkit.sandbox.SandboxProvider}: it implements the provider SPI on
 * top of a {@link io.posunbind.testkit.sandbox.SandboxBackend}, an in-memory acquirer backend that keeps
 * merchants, terminals, settlement accounts, unsettled funds and every operation it received under its
 * idempotency key. Tests seed the backend, drive the provider through the SPI, inject faults, complete
 * asynchronous reviews and then inspect the backend's state.
 *
 * <p>The sandbox depends on the SPI ({@code io.posunbind.spi}) only, like any real adapter.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.testkit.sandbox;
