package io.posunbind.spi.model;

import io.posunbind.spi.API;

/** Kinds of peripheral bound with a terminal. */
@API(status = API.Status.STABLE, since = "2.0")
public enum PeripheralKind {
    /** Receipt printer (打印机). */
    PRINTER,
    /** Barcode / QR scanner (扫码枪). */
    SCANNER,
    /** External PIN pad (密码键盘). */
    PIN_PAD,
    /** Anything else. */
    OTHER
}
