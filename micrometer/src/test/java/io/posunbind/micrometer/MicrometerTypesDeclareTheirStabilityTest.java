package io.posunbind.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.spi.API;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type the module exports says how stable it is, as those of spi, core and the test kit do. The
 * exported packages are read from the compiled {@code module-info.class}.
 */
class MicrometerTypesDeclareTheirStabilityTest {

    @Test
    void everyPublicTypeTheModuleExportsSaysHowStableItIs() throws Exception {
        Path classes = Path.of(UnbinderMetrics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module;
        try (InputStream moduleInfo = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(moduleInfo);
        }
        TreeSet<String> checked = new TreeSet<>();
        List<String> unmarked = new ArrayList<>();
        for (ModuleDescriptor.Exports exports : module.exports()) {
            try (Stream<Path> files = Files.list(classes.resolve(exports.source().replace('.', '/')))) {
                for (String file : files.map(path -> path.getFileName().toString())
                        .filter(name -> name.endsWith(".class") && !name.contains("$")
                                && !name.equals("package-info.class")).toList()) {
                    Class<?> type = Class.forName(exports.source() + "." + file.substring(0, file.length() - 6), false,
                            getClass().getClassLoader());
                    if (Modifier.isPublic(type.getModifiers())) {
                        checked.add(type.getSimpleName());
                        if (!type.isAnnotationPresent(API.class)) {
                            unmarked.add(type.getName());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), unmarked, "Public types without @API(status, since)");
        assertEquals(List.of("MicrometerEngineObserver", "UnbinderMetrics"), List.copyOf(checked));
    }
}
