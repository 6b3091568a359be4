/**
 * The sandbox acquirer in another process: {@link io.posunbind.examples.remote.SandboxServer} serves a
 * {@link io.posunbind.testkit.sandbox.SandboxBackend} over HTTP on 127.0.0.1,
 * {@link io.posunbind.examples.remote.RemoteSandboxProvider} is the engine's adapter for it, and
 * {@link io.posunbind.examples.remote.SandboxAdminClient} lets a test seed, steer and inspect it. Crash
 * tests need this split: when the engine's JVM is killed, the acquirer must still remember what it did.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.examples.remote;
