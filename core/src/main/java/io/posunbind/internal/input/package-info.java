/**
 * The checks every identifier and free text passes where it enters the SDK (value types, builders,
 * JSON, commands), so the builder and JSON enforce the same limits. Internal: not exported.
 */
package io.posunbind.internal.input;
