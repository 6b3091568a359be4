/**
 * The posunbind test kit: {@link io.posunbind.testkit.PaymentProviderContract}, the contract an adapter
 * author runs against a fake of their provider's backend, and {@link io.posunbind.testkit.app.UnbinderTestEnvironment},
 * an unbinder on an in-memory store and a clock the application's tests move by hand, and
 * {@link io.posunbind.testkit.sandbox.SandboxProvider}, an in-process provider that behaves like a real acquirer,
 * the public test double.
 */
module io.posunbind.testkit {
    requires transitive io.posunbind.spi;
    requires transitive io.posunbind.core;
    // Authors extend the contract, whose checks are JUnit 5 tests.
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    // A persistent sandbox writes its state as JSON.
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports io.posunbind.testkit;
    exports io.posunbind.testkit.app;
    exports io.posunbind.testkit.sandbox;
    // JUnit calls the contract's checks reflectively.
    opens io.posunbind.testkit;
    // The persistent sandbox's state records are read and written by Jackson.
    opens io.posunbind.testkit.sandbox to com.fasterxml.jackson.databind;

    uses io.posunbind.spi.PaymentProvider;
    uses io.posunbind.spi.PaymentProviderFactory;

    // The sandbox registers once, as a factory (it reads its settings from there).
    provides io.posunbind.spi.PaymentProviderFactory with io.posunbind.testkit.sandbox.SandboxProviderFactory;
}
