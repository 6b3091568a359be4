/**
 * Value types that cross the provider boundary: terminals, peripherals, settlement accounts, merchant
 * info, documents, fees and decisions. All are immutable records validated in their constructors,
 * except the sensitive numbers ({@link io.posunbind.spi.model.CardNumber},
 * {@link io.posunbind.spi.model.AccountNumber}, {@link io.posunbind.spi.model.IdentityNumber},
 * {@link io.posunbind.spi.model.PhoneNumber}), which are final classes so that no accessor, record
 * {@code toString()} or reflective serializer can print them in clear.
 *
 * <p>Null is not a value in this package: components are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.spi.model;
