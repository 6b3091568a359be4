/**
 * Progress events: implement {@link io.posunbind.event.UnbindListener} to follow cases step by step.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.event;
