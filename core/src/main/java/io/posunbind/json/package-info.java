/**
 * JSON at the SDK's edge: read requests, documents and decisions that arrive as JSON (from a web
 * backend, a queue, a file) into validated values, and write snapshots for display with every sensitive
 * number masked. Malformed input of any kind is answered with a coded
 * {@link io.posunbind.InvalidRequestException}, never with another exception.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.json;
