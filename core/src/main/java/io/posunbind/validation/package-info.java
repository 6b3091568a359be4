/**
 * Validators for the numbers merchants submit: unified social credit code (GB 32100), resident identity
 * number (GB 11643), bank card (Luhn), Chinese mobile number, terminal serial number.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.validation;
