package io.posunbind.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.util.List;
import java.util.Optional;
import org.h2.engine.Constants;
import org.junit.jupiter.api.Test;

/**
 * The versions the starter accepts, and the versions each Boot line's BOM really puts under our jars: the modules
 * boot35-managed and boot40-managed run these tests with {@code posunbind.expected.jackson} and
 * {@code posunbind.expected.h2} set to what that BOM manages, so a change of either is seen here first.
 */
class SupportedVersionsTest {

    @Test
    void bothBootLinesManagedVersionsAreAccepted() {
        assertEquals(List.of(), SupportedVersions.problems("2.19.2", "2.19.2", Optional.of("2.19.2"),
                Optional.of("2.3.232")), "Spring Boot 3.5.7");
        assertEquals(List.of(), SupportedVersions.problems("2.21.4", "2.21.4", Optional.of("2.21"),
                Optional.of("2.4.240")), "Spring Boot 4.0.7");
        assertEquals(List.of(), SupportedVersions.problems("2.21.3", "2.21.3", Optional.empty(), Optional.empty()),
                "PostgreSQL without H2; annotations without a version in their manifest");
    }

    @Test
    void databindOfOneReleaseBesideAnnotationsOfAnOlderOneIsRefusedNamingBoth() {
        List<String> problems = SupportedVersions.problems("2.21.3", "2.21.3", Optional.of("2.19.2"),
                Optional.of("2.4.240"));

        assertEquals(List.of("jackson-annotations 2.19.2 is older than jackson-databind 2.21.3"), problems);
    }

    @Test
    void databindAndStreamingOfDifferentReleasesAreRefused() {
        assertEquals(List.of("jackson-databind 2.21.3 and jackson-core 2.19.2 are of different releases"),
                SupportedVersions.problems("2.21.3", "2.19.2", Optional.of("2.21"), Optional.empty()));
    }

    @Test
    void jacksonAndH2OlderThanSpringBoot35sAreRefused() {
        assertEquals(List.of("jackson-databind 2.17.2 is older than 2.19", "H2 2.2.224 is older than 2.3.232"),
                SupportedVersions.problems("2.17.2", "2.17.2", Optional.of("2.17.2"), Optional.of("2.2.224")));
    }

    @Test
    void theVersionsOnThisClassPathAreTheOnesThisBootLineManages() {
        String jackson = System.getProperty("posunbind.expected.jackson");
        String h2 = System.getProperty("posunbind.expected.h2");
        assumeTrue(jackson != null && h2 != null, "set by the boot35-managed and boot40-managed modules only");

        assertEquals(jackson, PackageVersion.VERSION.toString());
        assertEquals(h2, Constants.VERSION);
        SupportedVersions.requireSupported();
    }

    @Test
    void theCheckOfThisClassPathPasses() {
        SupportedVersions.requireSupported();
    }
}
