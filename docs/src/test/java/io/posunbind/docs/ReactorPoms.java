package io.posunbind.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The build's own POM files, read as they are committed: the root, its modules, the BOM. */
final class ReactorPoms {

    /** The repository's root: this module's parent folder (Surefire runs tests in the module's folder). */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

    private ReactorPoms() {
    }

    /**
     * One POM.
     *
     * @param folder   the folder it is in, relative to the root
     * @param document the parsed file
     */
    record Pom(String folder, Document document) {

        String artifactId() {
            return child(document.getDocumentElement(), "artifactId").orElseThrow();
        }

        Optional<String> text(String... path) {
            Element element = document.getDocumentElement();
            for (int i = 0; i < path.length - 1; i++) {
                Optional<Element> next = element(element, path[i]);
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                element = next.get();
            }
            return child(element, path[path.length - 1]);
        }

        /** The {@code groupId:artifactId} of each dependency in {@code dependencies}, or under {@code dependencyManagement}. */
        List<Element> dependencies(boolean managed) {
            Element root = document.getDocumentElement();
            Optional<Element> holder = managed ? element(root, "dependencyManagement") : Optional.of(root);
            return holder.flatMap(h -> element(h, "dependencies"))
                    .map(dependencies -> elements(dependencies, "dependency")).orElse(List.of());
        }

        boolean hasParent() {
            return element(document.getDocumentElement(), "parent").isPresent();
        }
    }

    static Pom read(String folder) {
        Path file = ROOT.resolve(folder).resolve("pom.xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new Pom(folder, factory.newDocumentBuilder().parse(Files.newInputStream(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }

    static Pom root() {
        return read(".");
    }

    /** Every module the root POM builds, in its order. */
    static List<Pom> modules() {
        Element modules = element(root().document().getDocumentElement(), "modules").orElseThrow();
        return elements(modules, "module").stream().map(Element::getTextContent).map(String::trim)
                .map(ReactorPoms::read).toList();
    }

    /** Published: built by the root and neither the BOM nor a module that skips deployment (examples, docs). */
    static List<Pom> publishedJarModules() {
        return modules().stream()
                .filter(pom -> !pom.artifactId().equals("posunbind-bom"))
                .filter(pom -> !pom.text("properties", "maven.deploy.skip").map("true"::equals).orElse(false))
                .toList();
    }

    static Optional<String> child(Element parent, String name) {
        return element(parent, name).map(Element::getTextContent).map(String::trim);
    }

    static Optional<Element> element(Element parent, String name) {
        List<Element> found = elements(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Direct children only: a dependency's artifactId is not the project's. */
    static List<Element> elements(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }
}
