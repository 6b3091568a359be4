package io.posunbind;

import io.posunbind.spi.API;

/** The three ways a terminal is bound; an unbind case's scope is a set of them. */
@API(status = API.Status.STABLE, since = "0.1")
public enum BindingKind {
    /** The terminal and its peripherals to the merchant/store (设备绑定). */
    DEVICE,
    /** The settlement account that receives funds (账户绑定). */
    ACCOUNT,
    /** Merchant name, licence and merchant number at the institution (商户信息绑定). */
    MERCHANT_INFO
}
