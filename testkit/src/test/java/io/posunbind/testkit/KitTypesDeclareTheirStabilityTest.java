package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.API;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
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
 * Every public type the test kit exports says how stable it is, like the SPI's and the engine's (core's
 * PublicTypesDeclareTheirStabilityTest, which cannot see the kit: the kit depends on core). The exported
 * packages are read from the kit's compiled {@code module-info.class}, so a new exported package, such as
 * the sandbox's, cannot slip through.
 */
class KitTypesDeclareTheirStabilityTest {

    @Test
    void everyPublicTypeOfTheKitAndItsSandboxSaysHowStableItIs() throws Exception {
        Set<String> checked = new TreeSet<>();
        List<String> unmarked = new ArrayList<>();

        Path location = Path.of(PaymentProviderContract.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            collect(location, checked, unmarked);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                collect(jar.getPath("/"), checked, unmarked);
            }
        }

        assertEquals(List.of(), unmarked, "Public test kit types without @API(status, since)");
        assertTrue(checked.contains("io.posunbind.testkit.PaymentProviderContract"), checked.toString());
        assertTrue(checked.contains("io.posunbind.testkit.app.UnbinderTestEnvironment"), checked.toString());
        assertTrue(checked.contains("io.posunbind.testkit.sandbox.SandboxProvider"), checked.toString());
        assertTrue(checked.contains("io.posunbind.testkit.sandbox.SandboxBackend"), checked.toString());
    }

    private static void collect(Path root, Set<String> checked, List<String> unmarked)
            throws IOException, ClassNotFoundException {
        ModuleDescriptor module;
        try (InputStream moduleInfo = Files.newInputStream(root.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(moduleInfo);
        }
        for (ModuleDescriptor.Exports exports : module.exports()) {
            if (exports.isQualified()) {
                continue;
            }
            List<Path> classFiles;
            try (Stream<Path> files = Files.list(root.resolve(exports.source().replace('.', '/')))) {
                classFiles = files.map(Path::getFileName).map(Path::toString)
                        .filter(name -> name.endsWith(".class") && !name.contains("$")
                                && !name.equals("package-info.class"))
                        .map(name -> root.resolve(exports.source().replace('.', '/')).resolve(name))
                        .toList();
            }
            for (Path classFile : classFiles) {
                String simpleName = classFile.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(exports.source() + "." + simpleName, false,
                        KitTypesDeclareTheirStabilityTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    checked.add(type.getName());
                    if (!type.isAnnotationPresent(API.class)) {
                        unmarked.add(type.getName());
                    }
                }
            }
        }
    }
}
