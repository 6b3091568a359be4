package io.posunbind.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned schema script, named like {@code V1__cases.sql}. Statements end with a semicolon at the
 * end of a line; lines starting with {@code --} are comments. Scripts are ours, so no SQL parser is
 * needed: a semicolon inside a literal is simply not allowed.
 *
 * @param version     the schema version the script brings the database to
 * @param description what the script does, from its name
 * @param statements  the script's statements, without their semicolons
 */
public record SchemaScript(int version, String description, List<String> statements) {

    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

    /** Checks the fields. */
    public SchemaScript {
        if (version < 1) {
            throw new IllegalArgumentException("Schema versions start at 1, was " + version);
        }
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("Schema script V" + version + " has no statements");
        }
    }

    /**
     * Reads a script shipped as a resource.
     *
     * @param anchor    a class of the module or class path that ships the script
     * @param directory the absolute resource folder, such as {@code /io/posunbind/store/schema/h2}
     * @param fileName  the script's file name, such as {@code V1__cases.sql}
     */
    public static SchemaScript fromResource(Class<?> anchor, String directory, String fileName) {
        Matcher name = NAME.matcher(fileName);
        if (!name.matches()) {
            throw new IllegalArgumentException("Schema scripts are named V<version>__<description>.sql, not " + fileName);
        }
        String path = directory + "/" + fileName;
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Schema script " + path + " is missing from the posunbind jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new SchemaScript(Integer.parseInt(name.group(1)), name.group(2).replace('_', ' '), split(text));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read schema script " + path, e);
        }
    }

    private static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("The last statement of a schema script must end with ';'");
        }
        return statements;
    }
}
