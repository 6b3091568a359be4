package io.posunbind.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.http.UnbindHttpApi;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description published with core names exactly the routes the router serves: every route is
 * described (method, path and operationId), and every described path and method exists. Read line by line
 * from the file's fixed layout (two spaces for a path, four for a method), so no YAML library is needed.
 */
class OpenApiDescribesEveryRouteTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void everyRouteIsDescribedAndEveryDescribedRouteExists() {
        Set<String> served = Arrays.stream(Operation.values())
                .map(operation -> operation.method() + " " + operation.template() + " " + operation.operationId())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(served, described(UnbindHttpApi.openApiYaml()));
    }

    @Test
    void theDescriptionIsOpenApi31AndEveryOperationListsItsProblems() {
        String yaml = UnbindHttpApi.openApiYaml();
        assertTrue(yaml.contains("\nopenapi: 3.1.0\n"), "OpenAPI 3.1");
        assertTrue(yaml.contains("application/problem+json"), "errors are problem documents");
    }

    /** "POST /cases openCase" for each operation under {@code paths:}. */
    static Set<String> described(String yaml) {
        Set<String> operations = new TreeSet<>();
        List<String> lines = yaml.lines().toList();
        int start = lines.indexOf("paths:");
        assertTrue(start >= 0, "no paths: section");
        String path = null;
        String method = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.isEmpty() && !line.startsWith(" ") && !line.startsWith("#")) {
                break; // the next top-level key
            }
            if (line.matches("  /[^ ]*:")) {
                path = line.trim().substring(0, line.trim().length() - 1);
            } else if (line.matches("    [a-z]+:") && METHODS.contains(line.trim().replace(":", ""))) {
                method = line.trim().replace(":", "");
            } else if (line.startsWith("      operationId: ")) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path + " "
                        + line.substring("      operationId: ".length()).trim());
            }
        }
        return operations;
    }
}
