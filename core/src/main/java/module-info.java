/**
 * The posunbind engine: open an unbind case, feed it documents, consent and the institution's decision,
 * and let the engine drive device, account and merchant-info unbinding through a provider's adapters.
 * Start at {@link io.posunbind.Unbinder}.
 */
module io.posunbind.core {
    requires transitive io.posunbind.spi;
    requires transitive java.sql;
    // UnbindJson.module() hands hosts a Jackson Module.
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;
    requires org.bouncycastle.provider;

    exports io.posunbind;
    exports io.posunbind.audit;
    exports io.posunbind.backup;
    exports io.posunbind.callback;
    exports io.posunbind.crypto;
    exports io.posunbind.event;
    exports io.posunbind.http;
    exports io.posunbind.i18n;
    exports io.posunbind.json;
    exports io.posunbind.keys;
    exports io.posunbind.observe;
    exports io.posunbind.rules;
    exports io.posunbind.replacement;
    exports io.posunbind.store;
    exports io.posunbind.validation;

    // The engine persists its internal case document as JSON.
    opens io.posunbind.internal.engine to com.fasterxml.jackson.databind;
    opens io.posunbind.internal.json to com.fasterxml.jackson.databind;
    // Sealed backups are records written and read as JSON, and chunk 0 is a private record.
    opens io.posunbind.backup to com.fasterxml.jackson.databind;
    // Evidence bundles are records read and written by Jackson.
    opens io.posunbind.audit to com.fasterxml.jackson.databind;
    opens io.posunbind.internal.audit to com.fasterxml.jackson.databind;

    uses io.posunbind.spi.PaymentProvider;
    uses io.posunbind.spi.PaymentProviderFactory;
}
