package io.posunbind.internal.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.SpiVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version handshake against providers really compiled elsewhere: each test compiles a tiny provider
 * with javac against a posunbind-spi whose {@code SpiVersion} (or {@code PaymentProvider}) differs from
 * the one on the test class path, then loads only the provider's class next to the real SPI, as an
 * application does with an adapter jar built against another SPI release.
 */
class SpiVersionHandshakeTest {

    private static final String PROVIDER = """
            package acme;

            import io.posunbind.spi.PaymentProvider;
            import io.posunbind.spi.SpiVersion;

            public final class AcmeProvider implements PaymentProvider {
                public String id() { return "acme"; }
                public String displayName() { return "Acme Acquiring"; }
                public String requestedSpiVersion() { return SpiVersion.CURRENT; }
            }
            """;

    @TempDir
    Path workDir;

    @Test
    void aProviderBuiltAgainstAnOlderSpiMajorStillReportsItAtRunTimeAndIsRefused() throws Exception {
        PaymentProvider acme = compileAndLoad(Map.of("io/posunbind/spi/SpiVersion.java", spiVersionSource("1.1")));

        // The constant was inlined into AcmeProvider.class: the real SpiVersion on the class path says 2.0.
        assertEquals("1.1", acme.requestedSpiVersion());
        assertEquals("2.0", SpiVersion.CURRENT);
        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> ProviderRegistry.create(List.of(acme), null));
        assertEquals(CoreErrorCode.PROVIDER_INCOMPATIBLE, refused.errorCode());
        assertTrue(refused.getMessage().contains("Provider acme was built against posunbind SPI 1.1"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("this engine speaks SPI 2.0"), refused.getMessage());
    }

    @Test
    void aProviderBuiltAgainstANewerMinorIsRefusedBecauseItMayCallWhatThisEngineLacks() throws Exception {
        String newerMinor = SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1);
        PaymentProvider acme = compileAndLoad(Map.of("io/posunbind/spi/SpiVersion.java", spiVersionSource(newerMinor)));

        assertEquals(newerMinor, acme.requestedSpiVersion());
        assertEquals(CoreErrorCode.PROVIDER_INCOMPATIBLE, assertThrows(PosUnbindException.class,
                () -> ProviderRegistry.create(List.of(acme), null)).errorCode());
    }

    @Test
    void aProviderBuiltAgainstThisSpiIsAccepted() throws Exception {
        PaymentProvider acme = compileAndLoad(Map.of());

        assertEquals(SpiVersion.CURRENT, acme.requestedSpiVersion());
        assertEquals("acme", ProviderRegistry.create(List.of(acme), null).require("acme").id());
    }

    @Test
    void aProviderBuiltAgainstSpi1WhichHadNoRequestedVersionIsRefusedNotCrashed() throws Exception {
        // SPI 1.x had spiVersion() as a default method; its providers implement no requestedSpiVersion().
        String spi1Provider = """
                package io.posunbind.spi;

                public interface PaymentProvider {
                    String id();
                    String displayName();
                    default int spiVersion() { return 1001; }
                }
                """;
        String acmeOnSpi1 = """
                package acme;

                import io.posunbind.spi.PaymentProvider;

                public final class AcmeProvider implements PaymentProvider {
                    public String id() { return "acme"; }
                    public String displayName() { return "Acme Acquiring"; }
                }
                """;
        PaymentProvider acme = compileAndLoad(acmeOnSpi1, Map.of("io/posunbind/spi/PaymentProvider.java", spi1Provider));

        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> ProviderRegistry.create(List.of(acme), null));
        assertEquals(CoreErrorCode.PROVIDER_INCOMPATIBLE, refused.errorCode());
        assertTrue(refused.getMessage().contains("SPI 1.x"), refused.getMessage());
    }

    @Test
    void discoveryLeavesOutAnIncompatibleProviderAndKeepsTheOthers() throws Exception {
        Path classes = compile(PROVIDER, Map.of("io/posunbind/spi/SpiVersion.java", spiVersionSource("1.1")));
        Path services = classes.resolve("META-INF/services/io.posunbind.spi.PaymentProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "acme.AcmeProvider\n", StandardCharsets.UTF_8);

        try (URLClassLoader adapterJar = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            ProviderRegistry registry = ProviderRegistry.create(List.of(), adapterJar);
            assertFalse(registry.ids().contains("acme"), registry.ids().toString());
            assertTrue(registry.ids().contains("working"), registry.ids().toString());
        }
    }

    private static String spiVersionSource(String current) {
        return """
                package io.posunbind.spi;

                public final class SpiVersion {
                    public static final String CURRENT = "%s";
                    private SpiVersion() {
                    }
                }
                """.formatted(current);
    }

    private PaymentProvider compileAndLoad(Map<String, String> spiStandIns) throws Exception {
        return compileAndLoad(PROVIDER, spiStandIns);
    }

    private PaymentProvider compileAndLoad(String provider, Map<String, String> spiStandIns) throws Exception {
        Path classes = compile(provider, spiStandIns);
        URLClassLoader adapterJar = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        // The loader stays open: the provider's class is used after this method returns; @TempDir cleans up.
        return (PaymentProvider) adapterJar.loadClass("acme.AcmeProvider").getConstructor().newInstance();
    }

    /**
     * Compiles the provider, with stand-ins for SPI classes given as sources (javac prefers them over the
     * real SPI on the class path), then deletes the stand-ins' class files, so that at run time only the
     * real SPI can be found and anything not inlined would come from it.
     */
    private Path compile(String provider, Map<String, String> spiStandIns) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(workDir.resolve("src"));
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", spiClassPath(),
                "-proc:none", "-Xlint:none"));
        Path providerSource = sources.resolve("acme/AcmeProvider.java");
        Files.createDirectories(providerSource.getParent());
        Files.writeString(providerSource, provider, StandardCharsets.UTF_8);
        arguments.add(providerSource.toString());
        for (Map.Entry<String, String> standIn : spiStandIns.entrySet()) {
            Path source = sources.resolve(standIn.getKey());
            Files.createDirectories(source.getParent());
            Files.writeString(source, standIn.getValue(), StandardCharsets.UTF_8);
            arguments.add(source.toString());
        }
        // java.util.spi.ToolProvider is in java.base, so the core module's tests need not read java.compiler.
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() ->
                new AssertionError("the tests need a JDK, not a JRE"));
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, arguments.toArray(String[]::new));
        out.flush();
        assertEquals(0, status, diagnostics.toString());
        for (String standIn : spiStandIns.keySet()) {
            Files.delete(classes.resolve(standIn.replace(".java", ".class")));
        }
        return classes;
    }

    private static String spiClassPath() throws URISyntaxException {
        return Path.of(PaymentProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
