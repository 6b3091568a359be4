package io.posunbind.testkit;

import io.posunbind.spi.API;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;

/**
 * The mutating device operation the contract sends to check keys, outcomes and lookups: one the
 * provider really performs on a terminal from {@link BackendFaults#seedTerminal()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum Probe {
    /** {@link DeviceUnbindAdapter#disableTerminal}. */
    DISABLE_TERMINAL(OperationKind.DISABLE_TERMINAL),
    /** {@link DeviceUnbindAdapter#unbindTerminal}. */
    UNBIND_TERMINAL(OperationKind.UNBIND_TERMINAL),
    /** {@link DeviceUnbindAdapter#decommissionTerminal}. */
    DECOMMISSION_TERMINAL(OperationKind.DECOMMISSION_TERMINAL);

    private final OperationKind kind;

    Probe(OperationKind kind) {
        this.kind = kind;
    }

    /** The kind of operation sent. */
    public OperationKind kind() {
        return kind;
    }

    /** Sends the operation through the adapter. */
    OperationOutcome send(DeviceUnbindAdapter adapter, OperationContext context, String serialNumber) {
        return switch (this) {
            case DISABLE_TERMINAL -> adapter.disableTerminal(context, serialNumber);
            case UNBIND_TERMINAL -> adapter.unbindTerminal(context, serialNumber);
            case DECOMMISSION_TERMINAL -> adapter.decommissionTerminal(context, serialNumber);
        };
    }
}
