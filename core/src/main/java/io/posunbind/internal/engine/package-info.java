/**
 * The engine: advances unbind cases step by step, persisting after every step, waiting without holding
 * a thread, retrying provider operations with the same idempotency key. Internal: not exported; the
 * public face is {@link io.posunbind.Unbinder}.
 */
package io.posunbind.internal.engine;
