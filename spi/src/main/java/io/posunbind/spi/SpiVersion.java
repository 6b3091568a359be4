package io.posunbind.spi;

/**
 * The version of these provider contracts. The engine refuses a provider built against a newer major
 * version than its own, and accepts older ones because the SPI only grows through {@code default}
 * methods.
 *
 * <p>Thread-safe: constants only.
 */
public final class SpiVersion {

    /** Major version: bumped only by an incompatible change, which we avoid. */
    public static final int MAJOR = 1;

    /** Minor version: bumped when a {@code default} method or optional capability is added. */
    public static final int MINOR = 1;

    /** The version a provider compiled against this jar reports by default, {@code MAJOR * 1000 + MINOR}. */
    public static final int CURRENT = MAJOR * 1000 + MINOR;

    private SpiVersion() {
    }

    /** Returns the major part of a version number as reported by {@link PaymentProvider#spiVersion()}. */
    public static int majorOf(int version) {
        return version / 1000;
    }
}
