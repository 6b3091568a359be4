package io.posunbind;

/** The three ways a terminal is bound; an unbind case's scope is a set of them. */
public enum BindingKind {
    /** The terminal and its peripherals to the merchant/store (设备绑定). */
    DEVICE,
    /** The settlement account that receives funds (账户绑定). */
    ACCOUNT,
    /** Merchant name, licence and merchant number at the institution (商户信息绑定). */
    MERCHANT_INFO
}
