package io.posunbind.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.posunbind.docs.CodeCatalogue.Module;
import io.posunbind.docs.ReactorPoms.Pom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The error-code reference {@code docs/error-codes.md} lists every code of every published module with its
 * meaning, what to do and its text in English and Chinese, and is current. Run with
 * {@code -Dposunbind.docs.regenerate=true} (see {@link #REGENERATE}) it rewrites the file instead of comparing.
 */
class ErrorCodeReferenceTest {

    /** The one command that regenerates the reference, printed in it and in every failure here. */
    static final String REGENERATE = "mvn -B -q clean test -pl docs -am -Dtest=ErrorCodeReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dposunbind.docs.regenerate=true";

    private static final Path REFERENCE = ReactorPoms.ROOT.resolve("docs").resolve("error-codes.md");

    private final ErrorCodeReference reference = new ErrorCodeReference(CodeCatalogue.MODULES);

    @Test
    void everyCodeHasAMeaningAnActionAndAShownTextInEnglishAndChinese() {
        Map<String, List<String>> missing = reference.missingTexts();
        if (!missing.isEmpty()) {
            StringBuilder message = new StringBuilder("Codes without all their texts. Add these keys (")
                    .append("<key>.meaning: what the code means, <key>.action: what the caller should do, <key>: the text")
                    .append(" shown), in one block near the end of each file, then regenerate with: ")
                    .append(REGENERATE);
            missing.forEach((file, keys) -> message.append("\n  ").append(file).append(" (").append(keys.size())
                    .append("):\n    ").append(String.join("\n    ", keys)));
            fail(message.toString());
        }
        assertTrue(reference.entries().size() > 100, "found only " + reference.entries().size() + " codes");
    }

    @Test
    void noCodeIsDeclaredTwice() {
        assertEquals(List.of(), reference.duplicateCodes(), "A code must mean one thing");
    }

    @Test
    void theCommittedReferenceIsCurrent() throws IOException {
        String generated = reference.render(REGENERATE);
        if (Boolean.getBoolean("posunbind.docs.regenerate")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
            return;
        }
        String committed = Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
        if (!committed.equals(generated)) {
            fail("docs/error-codes.md is out of date (" + firstDifference(committed, generated)
                    + "). Regenerate it with: " + REGENERATE);
        }
    }

    @Test
    void everyCodeEnumOnTheClassPathIsInTheCatalogue() {
        Set<String> catalogued = CodeCatalogue.MODULES.stream().flatMap(module -> module.codeEnums().stream())
                .map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> found = ClassPathCodes.codeEnumNames();
        assertTrue(found.containsAll(Set.of("io.posunbind.CoreErrorCode", "io.posunbind.spi.StandardErrorCode",
                "io.posunbind.provider.wechatpay.WechatPayErrorCode")), "the scan found only " + found);
        Set<String> uncatalogued = new TreeSet<>(found);
        uncatalogued.removeAll(catalogued);
        assertEquals(Set.of(), uncatalogued, "Enums of ErrorCode missing from CodeCatalogue.MODULES (docs module): "
                + "add each to its module's entry, with texts, then regenerate with: " + REGENERATE);
    }

    @Test
    void everyModuleOfTheBomThatThisBuildMakesIsCataloguedAndOnTheDocsClassPath() {
        Set<String> built = ReactorPoms.modules().stream().map(Pom::artifactId).collect(Collectors.toSet());
        Set<String> docsDependencies = ReactorPoms.read("docs").dependencies(false).stream()
                .map(dependency -> ReactorPoms.child(dependency, "artifactId").orElseThrow())
                .collect(Collectors.toSet());
        Set<String> catalogued = CodeCatalogue.MODULES.stream().map(Module::artifactId).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (var managed : ReactorPoms.read("bom").dependencies(true)) {
            String artifactId = ReactorPoms.child(managed, "artifactId").orElseThrow();
            // The BOM may name a module another branch adds; it is checked once it is built here.
            if (!built.contains(artifactId)) {
                continue;
            }
            if (!catalogued.contains(artifactId)) {
                problems.add(artifactId + " has no entry in CodeCatalogue.MODULES");
            }
            if (!docsDependencies.contains(artifactId)) {
                problems.add(artifactId + " is not a test dependency in docs/pom.xml, so its codes cannot be listed");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static String firstDifference(String committed, String generated) {
        String[] old = committed.split("\n", -1);
        String[] now = generated.split("\n", -1);
        for (int i = 0; i < Math.min(old.length, now.length); i++) {
            if (!old[i].equals(now[i])) {
                return "line " + (i + 1) + " is \"" + old[i] + "\", expected \"" + now[i] + "\"";
            }
        }
        return "it has " + old.length + " lines, expected " + now.length;
    }
}
