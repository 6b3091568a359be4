package io.posunbind.spi;

/**
 * The version of these provider contracts, {@code "major.minor"}.
 *
 * <p>A provider reports the version it was built against by returning {@link #CURRENT} from
 * {@link PaymentProvider#requestedSpiVersion()} (and {@link PaymentProviderFactory#requestedSpiVersion()}).
 * {@code CURRENT} is a compile-time constant, so the Java compiler copies its value into the provider's
 * own class file: a provider built against SPI 1.1 keeps answering {@code "1.1"} when it runs next to a
 * 2.0 engine, and the engine's check at load time can fail (as SLF4J 2 providers report their requested
 * API version). The engine accepts a provider with the same major version and a minor version no newer
 * than its own, and refuses the others with {@code UNB-PROVIDER-INCOMPATIBLE}.
 *
 * <p>Thread-safe: constants only.
 */
@API(status = API.Status.STABLE, since = "2.0")
public final class SpiVersion {

    /** Major version: bumped only by an incompatible change. 2 since the factory, settings and handshake. */
    public static final int MAJOR = 2;

    /** Minor version: bumped when a {@code default} method or optional capability is added. */
    public static final int MINOR = 0;

    /**
     * The version a provider compiled against this jar requests: {@code MAJOR + "." + MINOR}. Return it,
     * never compute it, so that its value is inlined into your class file.
     */
    public static final String CURRENT = MAJOR + "." + MINOR;

    private SpiVersion() {
    }
}
