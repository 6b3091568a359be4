/**
 * The posunbind test kit: {@link io.posunbind.testkit.PaymentProviderContract}, the contract an adapter
 * author runs against a fake of their provider's backend, and {@link io.posunbind.testkit.app.UnbinderTestEnvironment},
 * an unbinder on an in-memory store and a clock the application's tests move by hand.
 */
module io.posunbind.testkit {
    requires transitive io.posunbind.spi;
    requires transitive io.posunbind.core;
    // Authors extend the contract, whose checks are JUnit 5 tests.
    requires transitive org.junit.jupiter.api;

    exports io.posunbind.testkit;
    exports io.posunbind.testkit.app;
    // JUnit calls the contract's checks reflectively.
    opens io.posunbind.testkit;

    uses io.posunbind.spi.PaymentProvider;
    uses io.posunbind.spi.PaymentProviderFactory;
}
