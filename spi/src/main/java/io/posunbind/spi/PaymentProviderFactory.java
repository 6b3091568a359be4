package io.posunbind.spi;

/**
 * Creates a {@link PaymentProvider} from the host's {@link ProviderSettings}: the way to build a provider
 * that needs configuration (a base URL, credentials, timeouts) without reading system properties. Found
 * with {@link java.util.ServiceLoader}; register it both ways, {@code provides
 * io.posunbind.spi.PaymentProviderFactory with ...} in {@code module-info.java} and a
 * {@code META-INF/services/io.posunbind.spi.PaymentProviderFactory} file, or hand it to the engine's
 * builder. The host gives the settings by id ({@code Unbinder.builder().providerSettings("acme", map)}).
 *
 * <pre>{@code
 * public final class AcmeProviderFactory implements PaymentProviderFactory {
 *     public String id() { return "acme"; }
 *     public String requestedSpiVersion() { return SpiVersion.CURRENT; }
 *     public PaymentProvider create(ProviderSettings settings) {
 *         return new AcmeProvider(settings.uri("base-uri"), settings.secret("api-key"),
 *                 settings.duration("timeout", Duration.ofSeconds(2)));
 *     }
 * }
 * }</pre>
 *
 * <p>The engine creates each provider once, checks that its {@link PaymentProvider#id()} is this
 * factory's id, and {@linkplain PaymentProvider#close() closes} it when the engine closes. A factory
 * has a public no-argument constructor, does no work in it, and is thread-safe.
 */
@API(status = API.Status.STABLE, since = "2.0")
public interface PaymentProviderFactory {

    /** The id of the providers this factory creates, lower case: {@code "acme"}. */
    String id();

    /**
     * The SPI version this factory was built against. Return {@link SpiVersion#CURRENT}, which the
     * compiler copies into your class file; the engine refuses a factory it cannot serve.
     */
    String requestedSpiVersion();

    /**
     * Creates the provider. Read every setting here, so that a configuration mistake shows when the
     * engine starts, not at the first case; open connections lazily, at the first call.
     *
     * @throws InvalidSettingException when a setting is missing or malformed
     */
    PaymentProvider create(ProviderSettings settings);
}
