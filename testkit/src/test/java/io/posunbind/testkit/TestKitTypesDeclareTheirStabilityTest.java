package io.posunbind.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.API;
import io.posunbind.testkit.app.UnbinderTestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type the test kit exports says how stable it is, as those of spi and core do: an adapter
 * author who extends the contract learns that it may still change. The exported packages are read from
 * the compiled {@code module-info.class}, so a new exported package cannot slip through.
 */
class TestKitTypesDeclareTheirStabilityTest {

    @Test
    void everyPublicTypeTheTestKitExportsSaysHowStableItIs() throws Exception {
        Path classes = Path.of(PaymentProviderContract.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        ModuleDescriptor module;
        try (InputStream moduleInfo = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(moduleInfo);
        }
        Set<String> checked = new TreeSet<>();
        List<String> unmarked = new ArrayList<>();
        for (ModuleDescriptor.Exports exports : module.exports()) {
            if (exports.isQualified()) {
                continue;
            }
            for (String type : topLevelTypes(classes.resolve(exports.source().replace('.', '/')))) {
                Class<?> loaded = Class.forName(exports.source() + "." + type, false, getClass().getClassLoader());
                if (Modifier.isPublic(loaded.getModifiers())) {
                    checked.add(loaded.getName());
                    if (!loaded.isAnnotationPresent(API.class)) {
                        unmarked.add(loaded.getName());
                    }
                }
            }
        }

        assertEquals(List.of(), unmarked, "Public test kit types without @API(status, since)");
        assertTrue(checked.contains(PaymentProviderContract.class.getName()), checked.toString());
        assertTrue(checked.contains(UnbinderTestEnvironment.class.getName()), checked.toString());
        assertEquals(API.Status.EXPERIMENTAL, PaymentProviderContract.class.getAnnotation(API.class).status());
    }

    /** Nested types ($) make their enclosing type's promise unless marked themselves. */
    private static List<String> topLevelTypes(Path packageDir) throws IOException {
        try (Stream<Path> files = Files.list(packageDir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .toList();
        }
    }
}
