package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** What kind of settlement account (结算账户) receives the merchant's funds. */
@API(status = API.Status.STABLE, since = "2.0")
public enum SettlementAccountKind {
    /** A bank card (借记卡). */
    BANK_CARD,
    /** A corporate or personal bank account (对公/对私账户). */
    BANK_ACCOUNT,
    /** An account at a third-party payment institution. */
    THIRD_PARTY_ACCOUNT
}
