package io.posunbind.testkit;

import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PaymentProviderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * A class loader whose {@code META-INF/services} files list only the classes given, instead of what the
 * test class path registers: the registration check of a broken provider runs on it, as on the class
 * path of that provider's own jar.
 */
final class ServiceRegistrations extends ClassLoader {

    private static final String SERVICES = "META-INF/services/";

    private final Map<String, URL> files;

    private ServiceRegistrations(Map<String, URL> files) {
        super(ServiceRegistrations.class.getClassLoader());
        this.files = files;
    }

    /** Registers the provider classes and the factory classes, nothing else. */
    static ServiceRegistrations of(List<Class<? extends PaymentProvider>> providers,
            List<Class<? extends PaymentProviderFactory>> factories) {
        return new ServiceRegistrations(Map.of(
                PaymentProvider.class.getName(), file(providers),
                PaymentProviderFactory.class.getName(), file(factories)));
    }

    private static URL file(List<? extends Class<?>> classes) {
        try {
            Path file = Files.createTempFile("posunbind-services", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, String.join("\n", classes.stream().map(Class::getName).toList()) + "\n",
                    StandardCharsets.UTF_8);
            return file.toUri().toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith(SERVICES)) {
            URL file = files.get(name.substring(SERVICES.length()));
            return file == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(file));
        }
        return super.getResources(name);
    }
}
