/**
 * JSON at the SDK's edge: read requests, documents, decisions and the commands of an HTTP front end
 * ({@link io.posunbind.json.UnbindCommand}) that arrive as JSON (from a web backend, a queue, a file) into
 * validated values, and write snapshots for display with every sensitive number masked, from
 * {@link io.posunbind.json.UnbindJson#writeSnapshot} or from a host's own mapper with
 * {@link io.posunbind.json.UnbindJson#module()}. Malformed input of any kind is answered with a coded
 * {@link io.posunbind.InvalidRequestException} naming the field, never with another exception.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.json;
