/**
 * Validators for the numbers merchants submit with an unbind case: the unified social credit code
 * (GB 32100-2015), the resident identity number (GB 11643-1999), bank card numbers (Luhn), Chinese
 * mobile numbers and terminal serial numbers.
 *
 * <p>Every validator is a {@link io.posunbind.validation.FieldValidator}: it returns <em>all</em> the
 * problems of a value at once, as {@link io.posunbind.rules.RuleViolation}s with the stable codes of
 * {@link io.posunbind.validation.ValidationCodes}, and an empty list when the value is valid. Messages
 * say what is wrong and what to do, in English, and never repeat an identity, card or phone number.
 *
 * <p>All validators are immutable and thread-safe: build them once and share them.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null, with one
 * exception. The {@code value} given to {@link io.posunbind.validation.FieldValidator#validate} may be
 * {@code null}; it is reported as a {@link io.posunbind.validation.ValidationCodes#REQUIRED} violation,
 * exactly like an empty or blank value.
 */
package io.posunbind.validation;
