package io.posunbind.spring.boot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, before the starter builds anything, that the Jackson and H2 jars the application's dependency management
 * chose are ones posunbind runs on. Spring Boot's BOM decides these versions for the whole application: Boot 3.5
 * manages Jackson 2.19 and H2 2.3.232, Boot 4.0 Jackson 2.21 and H2 2.4.240, and posunbind is tested on both
 * (the modules {@code boot35-managed} and {@code boot40-managed}). What fails is a mix: Jackson's databind of one
 * release beside annotations or streaming of an older one (what an application gets when it pins only
 * jackson-databind and lets Boot manage the rest) stops the JSON codec with a bare {@code NoClassDefFoundError}
 * deep inside the first case. Here it stops the start with the versions found and what to set instead.
 *
 * <p>Stateless and thread-safe.
 */
final class SupportedVersions {

    /** The oldest Jackson 2 minor version posunbind runs on: what Spring Boot 3.5 manages. */
    static final int[] OLDEST_JACKSON = {2, 19};
    /** The oldest H2 version posunbind runs on: what Spring Boot 3.5 manages. */
    static final int[] OLDEST_H2 = {2, 3, 232};

    private SupportedVersions() {
    }

    /** Checks the jars on the class path; returns normally when they are supported. */
    static void requireSupported() {
        List<String> problems = problems(
                PackageVersion.VERSION.toString(),
                new JsonFactory().version().toString(),
                Optional.ofNullable(JsonProperty.class.getPackage().getImplementationVersion()),
                h2Version());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("posunbind cannot run on the versions your build chose: "
                    + String.join("; ", problems) + ". With spring-boot-starter-parent set the properties "
                    + "<jackson-bom.version> (for example 2.21.3) and <h2.version> (for example 2.4.240); when you "
                    + "import spring-boot-dependencies, import com.fasterxml.jackson:jackson-bom before it and "
                    + "declare com.h2database:h2 in your dependencyManagement");
        }
    }

    /**
     * What is wrong with these versions, empty when nothing is.
     *
     * @param databind    jackson-databind's version
     * @param streaming   jackson-core's version
     * @param annotations jackson-annotations' version, when its jar says it
     * @param h2          H2's version, when H2 is on the class path
     */
    static List<String> problems(String databind, String streaming, Optional<String> annotations, Optional<String> h2) {
        List<String> problems = new ArrayList<>();
        int[] databindVersion = numbers(databind);
        if (olderThan(databindVersion, OLDEST_JACKSON)) {
            problems.add("jackson-databind " + databind + " is older than " + text(OLDEST_JACKSON));
        }
        if (!sameMinor(databindVersion, numbers(streaming))) {
            problems.add("jackson-databind " + databind + " and jackson-core " + streaming
                    + " are of different releases");
        }
        // Databind uses the annotations of its own release: older annotations lack types it loads.
        if (annotations.isPresent() && olderThan(numbers(annotations.get()), minor(databindVersion))) {
            problems.add("jackson-annotations " + annotations.get() + " is older than jackson-databind " + databind);
        }
        if (h2.isPresent() && olderThan(numbers(h2.get()), OLDEST_H2)) {
            problems.add("H2 " + h2.get() + " is older than " + text(OLDEST_H2));
        }
        return problems;
    }

    private static Optional<String> h2Version() {
        try {
            Class<?> constants = Class.forName("org.h2.engine.Constants", false,
                    SupportedVersions.class.getClassLoader());
            return Optional.of(String.valueOf(constants.getField("VERSION").get(null)));
        } catch (ClassNotFoundException e) {
            return Optional.empty();   // PostgreSQL users may leave H2 out
        } catch (ReflectiveOperationException e) {
            return Optional.empty();   // an H2 we cannot read the version of: let it show itself when used
        }
    }

    private static int[] numbers(String version) {
        String[] parts = version.split("[.-]");
        int[] numbers = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                break;   // a qualifier such as "SNAPSHOT" ends the numbers
            }
        }
        return numbers;
    }

    private static int[] minor(int[] version) {
        return new int[] {version[0], version[1]};
    }

    private static boolean sameMinor(int[] one, int[] other) {
        return one[0] == other[0] && one[1] == other[1];
    }

    private static boolean olderThan(int[] version, int[] oldest) {
        for (int i = 0; i < oldest.length; i++) {
            if (version[i] != oldest[i]) {
                return version[i] < oldest[i];
            }
        }
        return false;
    }

    private static String text(int[] version) {
        StringBuilder text = new StringBuilder();
        for (int part : version) {
            text.append(text.length() == 0 ? "" : ".").append(part);
        }
        return text.toString();
    }
}
