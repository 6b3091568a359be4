package io.posunbind.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How stable a public type of posunbind is, so that an adapter author or a host application knows what
 * it may rely on across releases. Every public type of the exported packages of {@code posunbind-spi}
 * and {@code posunbind-core} carries it; a build test fails when one does not.
 *
 * <pre>{@code
 * @API(status = API.Status.STABLE, since = "2.0")
 * public interface PaymentProvider { ... }
 * }</pre>
 *
 * <p>A nested type makes the promise of the type it is declared in unless it carries its own mark.
 * {@link #since()} is the SPI version ({@link SpiVersion}) for the types of {@code posunbind-spi}, and the
 * posunbind release for those of {@code posunbind-core}.
 *
 * <p>Kept at run time so tools (and the build test) can read it. Thread-safe: an annotation.
 */
@API(status = API.Status.STABLE, since = "2.0")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface API {

    /** The promise this type makes. */
    Status status();

    /** The version in which the type reached this status, {@code "major.minor"}: {@code "2.0"}. */
    String since();

    /** The promises a public type can make, from none to the strongest. */
    @API(status = Status.STABLE, since = "2.0")
    enum Status {
        /**
         * Public for technical reasons only (a type one exported package needs from another); may change or
         * go in any release without notice. Do not use it.
         */
        INTERNAL,
        /**
         * New and still being shaped by real providers and hosts: may change in a minor release. Use it, and
         * tell us how it fits.
         */
        EXPERIMENTAL,
        /**
         * Changes only compatibly within a major version: methods are added as {@code default} methods,
         * nothing is removed or changes meaning.
         */
        STABLE
    }
}
