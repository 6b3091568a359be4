/**
 * The unbinding rules: named checks that return every violation at once, each with a stable code.
 * Internal: not exported; callers see {@link io.posunbind.rules.RuleViolation}.
 */
package io.posunbind.internal.rules;
