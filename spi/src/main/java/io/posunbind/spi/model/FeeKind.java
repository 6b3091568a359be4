package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** Kinds of fee an unbind can incur. */
@API(status = API.Status.STABLE, since = "2.0")
public enum FeeKind {
    /** Unbind fee (解绑费). */
    UNBIND_FEE,
    /** Settlement-account change fee. */
    CHANGE_FEE,
    /** Deposit (押金) refund; a negative amount. */
    DEPOSIT_REFUND,
    /** Deduction from the deposit (damage, missing parts). */
    DEPOSIT_DEDUCTION,
    /** Yearly SIM / data fee still due. */
    SIM_FEE,
    /** Anything else; the description says what. */
    OTHER
}
