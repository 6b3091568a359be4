/**
 * The engine's side of {@link io.posunbind.observe}: observers guarded so that they never change a case,
 * provider calls observed and remembered for health, the step running on a thread, and the health check.
 * Not exported.
 */
package io.posunbind.internal.observe;
