package io.posunbind;

import io.posunbind.spi.API;

/** The steps of an unbind process, in the order the planner places them. */
@API(status = API.Status.STABLE, since = "0.1")
public enum StepKind {
    /** Read every current binding from the provider (盘点). */
    TAKE_INVENTORY,
    /** Check the required documents, all at once. */
    CHECK_DOCUMENTS,
    /** Export, store and verify the old terminal's usage records and settings (备份). */
    BACK_UP_TERMINAL_DATA,
    /** The merchant platform's own reviewer approves, someone other than the requester (four eyes). */
    INTERNAL_REVIEW,
    /** Quote the fees and obtain the merchant's consent before any is incurred. */
    AGREE_FEES,
    /** Apply to the bank or institution and wait for its approval. */
    OBTAIN_INSTITUTION_APPROVAL,
    /** Wait until no funds are unsettled and no transaction is in flight. */
    AWAIT_SETTLEMENT,
    /** Unbind one peripheral. */
    UNBIND_PERIPHERAL,
    /** Disable the terminal (providers delete only disabled terminals). */
    DISABLE_TERMINAL,
    /** Unbind the terminal from its merchant and store. */
    UNBIND_TERMINAL,
    /** Bind the terminal to the merchant that receives it (换绑). */
    BIND_TO_NEW_MERCHANT,
    /** Unbind the settlement account. */
    UNBIND_SETTLEMENT_ACCOUNT,
    /** Detach the terminal from the merchant info, or delete it when nothing else uses it. */
    UNBIND_MERCHANT_INFO,
    /** Shut the old terminal down (关闭旧POS机). */
    DECOMMISSION_TERMINAL,
    /** Set the replacement terminal up with the merchant's information (设置新POS机). */
    SET_UP_REPLACEMENT,
    /** Update the replacement's software (更新软件). */
    UPDATE_REPLACEMENT_SOFTWARE,
    /** Run a test transaction on the replacement (测试交易). */
    RUN_TEST_TRANSACTION,
    /** Void the test transaction so no money moves. */
    VOID_TEST_TRANSACTION,
    /** Check that everything in scope is done and the replacement tested. */
    VERIFY_COMPLETION;

    /**
     * Whether the step changes something at the provider (a binding, a terminal's state, the new
     * terminal, a test transaction), as opposed to reading, checking, asking or waiting. Once such a step
     * is done, cancelling the case no longer leaves the merchant as before.
     */
    public boolean changesProvider() {
        return switch (this) {
            case UNBIND_PERIPHERAL, DISABLE_TERMINAL, UNBIND_TERMINAL, BIND_TO_NEW_MERCHANT,
                    UNBIND_SETTLEMENT_ACCOUNT, UNBIND_MERCHANT_INFO, DECOMMISSION_TERMINAL, SET_UP_REPLACEMENT,
                    UPDATE_REPLACEMENT_SOFTWARE, RUN_TEST_TRANSACTION, VOID_TEST_TRANSACTION -> true;
            case TAKE_INVENTORY, CHECK_DOCUMENTS, BACK_UP_TERMINAL_DATA, INTERNAL_REVIEW, AGREE_FEES,
                    OBTAIN_INSTITUTION_APPROVAL, AWAIT_SETTLEMENT, VERIFY_COMPLETION -> false;
        };
    }
}
