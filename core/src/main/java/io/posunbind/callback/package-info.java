/**
 * Signed callbacks from providers and institutions ("approval decided", "operation completed"):
 * accepted only with a valid signature, a timestamp inside a window and a nonce not seen before.
 *
 * <p>A provider signs the canonical content of a callback (see {@link io.posunbind.callback.Callback#canonicalContent})
 * with HMAC-SHA256 under a shared secret, with Ed25519 under its private key, or with SM2 over SM3 (GM/T 0009,
 * the 国密 signature of Chinese acquirers) under its SM2 private key. The application turns the
 * HTTP request it received into a {@link io.posunbind.callback.Callback} and hands it to a
 * {@link io.posunbind.callback.CallbackVerifier}, which answers a {@link io.posunbind.callback.CallbackVerdict}
 * or throws a {@link io.posunbind.callback.CallbackRejectedException} with a distinct code for forged,
 * unknown, stale, replayed and malformed callbacks. {@link io.posunbind.callback.CallbackSigner} signs
 * callbacks for tests and sandboxes.
 *
 * <p>Null is not a value in this package, with one deliberate exception: a {@link io.posunbind.callback.Callback}
 * carries untrusted input exactly as received, so its components may be null, and the verifier rejects
 * such a callback with a code rather than the constructor throwing before it can be recorded.
 */
package io.posunbind.callback;
