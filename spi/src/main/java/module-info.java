/**
 * The posunbind provider contracts. A payment provider's adapter depends on this module only,
 * so it never moves in lockstep with the engine.
 */
module io.posunbind.spi {
    exports io.posunbind.spi;
    exports io.posunbind.spi.model;

    uses io.posunbind.spi.PaymentProvider;
    uses io.posunbind.spi.PaymentProviderFactory;
}
