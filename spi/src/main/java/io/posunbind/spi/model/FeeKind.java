package io.posunbind.spi.model;

/** Kinds of fee an unbind can incur. */
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
