package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** A terminal's status in the provider's terminal-management backend. */
@API(status = API.Status.STABLE, since = "2.0")
public enum TerminalStatus {
    /** Bound and able to trade. */
    ACTIVE,
    /** Bound but disabled: cannot trade. */
    DISABLED,
    /** No longer bound to any merchant or store. */
    UNBOUND,
    /** Shut down for good (关闭旧POS机): no longer connected. */
    DECOMMISSIONED,
    /** Registered but not yet set up for a merchant. */
    NEW,
    /**
     * Being moved at the provider (a reassignment to another account or store in progress): wait until it
     * settles before changing anything. Since SPI 2.0.
     */
    IN_TRANSITION
}
