package io.posunbind;

import io.posunbind.spi.API;

/** Why the merchant unbinds (确认解绑需求). The reason decides which steps and documents are needed. */
@API(status = API.Status.STABLE, since = "0.1")
public enum UnbindReason {
    /** 业务重组. */
    BUSINESS_RESTRUCTURING,
    /** 更换支付系统. */
    PAYMENT_SYSTEM_CHANGE,
    /** Migration to new hardware or software platform. */
    PLATFORM_MIGRATION,
    /** The business closes. */
    CLOSURE,
    /** The device was lost or stolen; needs a loss report. */
    DEVICE_LOST_OR_STOLEN,
    /** The device is faulty. */
    DEVICE_FAULTY,
    /** The business changes hands; needs the transfer agreement. */
    OWNERSHIP_TRANSFER,
    /** Anything else; the request's note says what. */
    OTHER
}
