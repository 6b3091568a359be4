/**
 * Progress events: implement {@link io.posunbind.event.UnbindListener} to follow cases step by step.
 * Events are delivered after the change they describe was stored.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.event;
