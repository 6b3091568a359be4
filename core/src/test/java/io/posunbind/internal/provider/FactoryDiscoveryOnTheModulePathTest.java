package io.posunbind.internal.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.Unbinder;
import io.posunbind.spi.PaymentProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * An adapter shipped as a named module ({@code provides io.posunbind.spi.PaymentProviderFactory with ...})
 * is found by the engine running as the named module {@code io.posunbind.core}, which must declare that it
 * {@code uses} the factory service. The tests of this module otherwise run on the class path, where
 * {@code module-info} is compiled but never enforced, so this one builds a module layer of its own.
 */
class FactoryDiscoveryOnTheModulePathTest {

    @TempDir
    Path workDir;

    @Test
    void theEngineModuleFindsAFactoryThatAnAdapterModuleProvides() throws Exception {
        Path adapter = compileAdapterModule();
        ModuleFinder finder = ModuleFinder.of(Stream.concat(Stream.of(adapter), Stream.of(PaymentProvider.class,
                Unbinder.class, ObjectMapper.class, JsonParser.class, JsonProperty.class, Jdk8Module.class,
                JavaTimeModule.class, Logger.class, BouncyCastleProvider.class).map(FactoryDiscoveryOnTheModulePathTest::location))
                .toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("io.posunbind.core", "acme.adapter"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration,
                ClassLoader.getPlatformClassLoader());
        ClassLoader modules = layer.findLoader("io.posunbind.core");

        // The engine's public API, reached by reflection because these classes live in the new layer.
        Object builder = call(modules.loadClass("io.posunbind.Unbinder").getMethod("builder"), null);
        Object store = modules.loadClass("io.posunbind.store.InMemoryCaseStore").getConstructor().newInstance();
        call(builder.getClass().getMethod("store", modules.loadClass("io.posunbind.store.CaseStore")), builder, store);
        call(builder.getClass().getMethod("providerSettings", String.class, Map.class), builder, "acme",
                Map.of("base-uri", "https://api.acme.example"));
        try (AutoCloseable unbinder = (AutoCloseable) call(builder.getClass().getMethod("build"), builder)) {
            assertEquals(List.of("acme"), call(unbinder.getClass().getMethod("providerIds"), unbinder));
        }
        assertTrue(layer.findModule("acme.adapter").orElseThrow().getDescriptor().provides().stream()
                .anyMatch(provides -> provides.service().equals("io.posunbind.spi.PaymentProviderFactory")));
    }

    private Path compileAdapterModule() throws Exception {
        Path sources = workDir.resolve("src");
        write(sources.resolve("module-info.java"), """
                module acme.adapter {
                    requires io.posunbind.spi;
                    provides io.posunbind.spi.PaymentProviderFactory with acme.AcmeProviderFactory;
                }
                """);
        write(sources.resolve("acme/AcmeProviderFactory.java"), """
                package acme;

                import io.posunbind.spi.PaymentProvider;
                import io.posunbind.spi.PaymentProviderFactory;
                import io.posunbind.spi.ProviderSettings;
                import io.posunbind.spi.SpiVersion;
                import java.net.URI;

                public final class AcmeProviderFactory implements PaymentProviderFactory {
                    public String id() { return "acme"; }
                    public String requestedSpiVersion() { return SpiVersion.CURRENT; }
                    public PaymentProvider create(ProviderSettings settings) {
                        URI base = settings.uri("base-uri");
                        return new PaymentProvider() {
                            public String id() { return "acme"; }
                            public String displayName() { return "Acme Acquiring at " + base.getHost(); }
                            public String requestedSpiVersion() { return SpiVersion.CURRENT; }
                        };
                    }
                }
                """);
        Path classes = Files.createDirectories(workDir.resolve("acme.adapter"));
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() ->
                new AssertionError("the tests need a JDK, not a JRE"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, "-d", classes.toString(), "--module-path",
                location(PaymentProvider.class).toString(), "-proc:none",
                sources.resolve("module-info.java").toString(), sources.resolve("acme/AcmeProviderFactory.java").toString());
        out.flush();
        assertEquals(0, status, diagnostics.toString());
        return classes;
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object call(Method method, Object target, Object... arguments) throws Exception {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error; // a ServiceConfigurationError when io.posunbind.core lacks its uses clause
            }
            throw (Exception) e.getCause();
        }
    }
}
