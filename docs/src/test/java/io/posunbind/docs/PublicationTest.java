package io.posunbind.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.docs.ReactorPoms.Pom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What a repository such as Maven Central asks of our artifacts, read from the committed POMs: a BOM that pins
 * our artifacts and nothing else, complete metadata, a fixed archive time, sources and Javadoc jars.
 */
class PublicationTest {

    private static final List<String[]> REQUIRED_METADATA = List.of(
            new String[] {"url"}, new String[] {"licenses", "license", "name"},
            new String[] {"licenses", "license", "url"}, new String[] {"developers", "developer", "name"},
            new String[] {"scm", "url"}, new String[] {"scm", "connection"},
            new String[] {"scm", "developerConnection"}, new String[] {"issueManagement", "url"},
            new String[] {"description"});

    private final Pom root = ReactorPoms.root();
    private final Pom bom = ReactorPoms.read("bom");

    @Test
    void anApplicationImportingTheBomGetsEveryPublishedModuleAtOneVersionAndNoThirdPartyVersion() {
        assertFalse(bom.hasParent(), "the BOM must not inherit the parent's dependencyManagement");
        assertEquals(root.text("version"), bom.text("version"), "the BOM is released with the modules");
        assertTrue(bom.dependencies(false).isEmpty(), "a BOM only manages versions");
        Set<String> pinned = new TreeSet<>();
        for (Element managed : bom.dependencies(true)) {
            String artifactId = ReactorPoms.child(managed, "artifactId").orElseThrow();
            assertEquals(Optional.of("io.posunbind"), ReactorPoms.child(managed, "groupId"), artifactId);
            assertEquals(Optional.of("${project.version}"), ReactorPoms.child(managed, "version"), artifactId);
            pinned.add(artifactId);
        }
        Set<String> published = ReactorPoms.publishedJarModules().stream().map(Pom::artifactId)
                .collect(Collectors.toCollection(TreeSet::new));
        published.removeAll(pinned);
        assertEquals(Set.of(), published, "published modules missing from bom/pom.xml");
        assertTrue(pinned.containsAll(Set.of("posunbind-core", "posunbind-provider-wechatpay",
                "posunbind-micrometer", "posunbind-spring-boot-starter")), pinned.toString());
    }

    @Test
    void theParentAndTheBomCarryTheSameCompleteMetadata() {
        List<String> missing = new ArrayList<>();
        for (String[] path : REQUIRED_METADATA) {
            Optional<String> inRoot = root.text(path);
            if (inRoot.isEmpty() || inRoot.get().isBlank()) {
                missing.add("pom.xml: " + String.join("/", path));
            } else if (path.length > 1 || !path[0].equals("description")) {
                assertEquals(inRoot, bom.text(path), "bom/pom.xml repeats the parent's " + String.join("/", path));
            }
            if (bom.text(path).isEmpty()) {
                missing.add("bom/pom.xml: " + String.join("/", path));
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyPublishedModuleDescribesItselfInItsOwnPom() {
        String parentDescription = root.text("description").orElseThrow();
        List<String> undescribed = ReactorPoms.publishedJarModules().stream()
                .filter(pom -> pom.text("name").isEmpty() || pom.text("description").isEmpty()
                        || pom.text("description").get().equals(parentDescription))
                .map(Pom::folder).toList();
        assertEquals(List.of(), undescribed, "modules without their own name and description");
    }

    @Test
    void archivesCarryAFixedTimeSoTwoBuildsOfOneCommitAreIdentical() {
        Optional<String> timestamp = root.text("properties", "project.build.outputTimestamp");
        assertTrue(timestamp.filter(time -> time.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z")).isPresent(),
                "project.build.outputTimestamp: " + timestamp);
        assertEquals(timestamp, bom.text("properties", "project.build.outputTimestamp"));
    }

    @Test
    void everyPublishedModuleAttachesSourcesAndJavadocThatFailOnWarnings() {
        Element plugins = ReactorPoms.element(ReactorPoms.element(root.document().getDocumentElement(), "build")
                .orElseThrow(), "plugins").orElseThrow();
        Set<String> attached = ReactorPoms.elements(plugins, "plugin").stream()
                .map(plugin -> ReactorPoms.child(plugin, "artifactId").orElseThrow()).collect(Collectors.toSet());
        assertTrue(attached.containsAll(Set.of("maven-source-plugin", "maven-javadoc-plugin")), attached.toString());
        Element managed = ReactorPoms.element(ReactorPoms.element(ReactorPoms.element(
                root.document().getDocumentElement(), "build").orElseThrow(), "pluginManagement").orElseThrow(),
                "plugins").orElseThrow();
        Element javadoc = ReactorPoms.elements(managed, "plugin").stream()
                .filter(plugin -> ReactorPoms.child(plugin, "artifactId").orElseThrow().equals("maven-javadoc-plugin"))
                .findFirst().orElseThrow();
        Element configuration = ReactorPoms.element(javadoc, "configuration").orElseThrow();
        assertEquals(Optional.of("true"), ReactorPoms.child(configuration, "failOnWarnings"));
        assertEquals(Optional.of("all,-missing"), ReactorPoms.child(configuration, "doclint"));
        List<String> skipping = ReactorPoms.publishedJarModules().stream()
                .filter(pom -> pom.text("properties", "maven.javadoc.skip").isPresent()
                        || pom.text("properties", "maven.source.skip").isPresent())
                .map(Pom::folder).toList();
        assertEquals(List.of(), skipping, "published modules that skip their sources or Javadoc jar");
    }
}
