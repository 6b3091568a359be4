package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * A peripheral bound together with a terminal.
 *
 * @param id           the provider's id of the binding
 * @param kind         what it is
 * @param serialNumber its own serial number
 */
@API(status = API.Status.STABLE, since = "2.0")
public record Peripheral(String id, PeripheralKind kind, String serialNumber) {

    /** Checks the fields. */
    public Peripheral {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(serialNumber, "serialNumber");
    }
}
