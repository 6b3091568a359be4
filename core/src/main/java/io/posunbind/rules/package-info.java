/**
 * The unbinding rules' public face: the {@link io.posunbind.rules.RuleViolation} a case reports,
 * all at once, when a precondition does not hold.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.rules;
