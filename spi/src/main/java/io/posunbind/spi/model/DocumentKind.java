package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** Kinds of document an unbind case may need (准备必要的文件和信息). */
@API(status = API.Status.STABLE, since = "2.0")
public enum DocumentKind {
    /**
     * Business licence (营业执照) with its unified social credit code; outside China, the business's
     * registration ({@link Document.BusinessRegistration}).
     */
    BUSINESS_LICENCE,
    /** The current terminal's serial number and model. */
    TERMINAL_INFORMATION,
    /** Proof of the settlement account. */
    SETTLEMENT_ACCOUNT,
    /** Export of the old terminal's usage records (交易明细). */
    USAGE_RECORD_EXPORT,
    /** Staff training material for a replacement terminal. */
    TRAINING_MATERIAL,
    /** The legal representative's identity document. */
    LEGAL_REPRESENTATIVE_IDENTITY,
    /** A loss or theft report for a lost or stolen device. */
    LOSS_REPORT,
    /** Evidence of a transfer of ownership. */
    OWNERSHIP_TRANSFER_AGREEMENT
}
