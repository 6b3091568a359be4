package io.posunbind.docs;

import io.posunbind.spi.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The enums of stable codes that the main classes on this test's class path declare: the published modules'
 * (this module's own test classes are left out). Only enums: a record implementing {@link ErrorCode}, such
 * as the examples' {@code RemoteErrorCode}, carries codes that are declared elsewhere.
 */
final class ClassPathCodes {

    private ClassPathCodes() {
    }

    static Set<String> codeEnumNames() {
        Set<String> found = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.endsWith("test-classes")) {
                continue;
            }
            for (String className : classNames(path)) {
                if (className.startsWith("io.posunbind.") && isCodeEnum(className)) {
                    found.add(className);
                }
            }
        }
        return found;
    }

    private static boolean isCodeEnum(String className) {
        try {
            Class<?> type = Class.forName(className, false, ClassPathCodes.class.getClassLoader());
            return type.isEnum() && ErrorCode.class.isAssignableFrom(type);
        } catch (ClassNotFoundException | LinkageError unloadable) {
            // A class needing an optional dependency that is absent here declares no codes we could list.
            return false;
        }
    }

    private static List<String> classNames(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    return files.map(file -> entry.relativize(file).toString().replace(File.separatorChar, '/'))
                            .filter(ClassPathCodes::isClassFile).map(ClassPathCodes::className).toList();
                }
            }
            if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    Stream.Builder<String> names = Stream.builder();
                    for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                        String name = all.nextElement().getName();
                        if (isClassFile(name)) {
                            names.add(className(name));
                        }
                    }
                    return names.build().toList();
                }
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(entry.toString(), e);
        }
    }

    private static boolean isClassFile(String name) {
        return name.startsWith("io/posunbind/") && name.endsWith(".class") && !name.endsWith("-info.class");
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.');
    }
}
