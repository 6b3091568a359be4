package io.posunbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.API;
import io.posunbind.spi.PaymentProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type that posunbind-spi and posunbind-core export says how stable it is, so an adapter
 * author or a host knows what may change. The exported packages are read from each module's compiled
 * {@code module-info.class}, and the types from its classes directory or jar, so a new public type or a
 * new exported package cannot slip through.
 */
class PublicTypesDeclareTheirStabilityTest {

    @Test
    void everyPublicTypeOfTheSpiSaysHowStableItIs() throws Exception {
        Set<String> checked = new TreeSet<>();
        List<String> unmarked = unmarkedPublicTypes(PaymentProvider.class, checked);

        assertEquals(List.of(), unmarked, "Public SPI types without @API(status, since)");
        assertTrue(checked.contains("io.posunbind.spi.PaymentProvider"), checked.toString());
        assertTrue(checked.contains("io.posunbind.spi.model.Terminal"), checked.toString());
    }

    @Test
    void everyPublicTypeOfTheEnginesApiSaysHowStableItIs() throws Exception {
        Set<String> checked = new TreeSet<>();
        List<String> unmarked = unmarkedPublicTypes(Unbinder.class, checked);

        assertEquals(List.of(), unmarked, "Public core API types without @API(status, since)");
        assertTrue(checked.contains("io.posunbind.Unbinder"), checked.toString());
        assertTrue(checked.contains("io.posunbind.store.JdbcCaseStore"), checked.toString());
        assertTrue(checked.stream().noneMatch(type -> type.contains(".internal.")), checked.toString());
    }

    @Test
    void aMarkReadsAsAStatusAndTheVersionItWasReachedIn() {
        API mark = PaymentProvider.class.getAnnotation(API.class);
        assertEquals(API.Status.STABLE, mark.status());
        assertTrue(mark.since().matches("\\d+\\.\\d+"), mark.since());
    }

    /** The public top-level types of the module holding {@code anchor}'s exported packages that carry no mark. */
    private static List<String> unmarkedPublicTypes(Class<?> anchor, Set<String> checked)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return unmarkedPublicTypes(location, anchor.getClassLoader(), checked);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return unmarkedPublicTypes(jar.getPath("/"), anchor.getClassLoader(), checked);
        }
    }

    private static List<String> unmarkedPublicTypes(Path root, ClassLoader loader, Set<String> checked)
            throws IOException, ClassNotFoundException {
        ModuleDescriptor module;
        try (InputStream moduleInfo = Files.newInputStream(root.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(moduleInfo);
        }
        List<String> unmarked = new ArrayList<>();
        for (ModuleDescriptor.Exports exports : module.exports()) {
            if (exports.isQualified()) {
                continue; // exported to named friends only: not public API
            }
            Path packageDir = root.resolve(exports.source().replace('.', '/'));
            List<Path> classFiles;
            try (Stream<Path> files = Files.list(packageDir)) {
                // Nested types ($) make their enclosing type's promise unless marked themselves.
                classFiles = files.filter(file -> file.getFileName().toString().endsWith(".class"))
                        .filter(file -> !file.getFileName().toString().contains("$"))
                        .filter(file -> !file.getFileName().toString().equals("package-info.class"))
                        .toList();
            }
            for (Path classFile : classFiles) {
                String simpleName = classFile.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(exports.source() + "." + simpleName, false, loader);
                if (!Modifier.isPublic(type.getModifiers())) {
                    continue;
                }
                checked.add(type.getName());
                if (!type.isAnnotationPresent(API.class)) {
                    unmarked.add(type.getName());
                }
            }
        }
        return unmarked;
    }
}
