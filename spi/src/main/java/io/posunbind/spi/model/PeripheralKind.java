package io.posunbind.spi.model;

/** Kinds of peripheral bound with a terminal. */
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
