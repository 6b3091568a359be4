/**
 * Fleet unbinds (not exported): validating a batch, starting its rows as cases when the window, the cap on
 * cases in flight and the batch's state allow, following them to their end, and the batch stores.
 */
package io.posunbind.internal.batch;
