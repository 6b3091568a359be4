package io.posunbind.internal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts a case document's write-once values out of it, so the store keeps them in rows of their own
 * (schema V8, {@code posunbind_case_part}) and the case row carries only what changes; and puts them back,
 * character for character, when the case is read.
 *
 * <p>The store still treats the document as text: a part is a top-level member of a JSON object, cut out as
 * the exact characters from the comma before its name to the end of its value, and put back at the same
 * position. Which members go apart is a list of names the engine writes once per case (the request, the
 * inventory, the document checklist, the sealed backup, the fee quote, the decision); a member that does
 * change after all (a backup once verified, documents submitted again) is simply written again, so the
 * list decides cost, never correctness. A text that is not a JSON object, names a member twice or has none
 * of these members is kept whole.
 *
 * <p>The layout says, for each part, where it goes back, how long it is and the first characters of its digest
 * ({@code name@offset:length:check}), so a stored part that is not the one the case row was written with is
 * found when the case is read, never put back silently: a wrong part of the same length would otherwise give a
 * document that reads well and says something else. Layouts written before this check ({@code name@offset})
 * are still read, checked only for fitting.
 *
 * <p>Stateless and thread-safe.
 */
public final class DocumentParts {

    /** Top-level members the engine writes once per case, or rarely; kept apart when long enough. */
    static final Set<String> WRITE_ONCE = Set.of("request", "checklist", "terminal", "settlementAccount",
            "merchantInfo", "backup", "feeQuote", "documents", "decision");

    /** A shorter member costs more as a row of its own (key, digest, row header) than it saves. */
    static final int MIN_PART_LENGTH = 96;

    /**
     * How many characters of a part's digest its layout entry keeps: 48 bits, enough to tell a part from another
     * version of it (no one forges parts: whoever can write the table can write the layout too), few enough that
     * the case row grows by about 80 characters.
     */
    static final int CHECK_LENGTH = 8;

    private DocumentParts() {
    }

    /**
     * One value cut out of a document.
     *
     * @param name   the member's name
     * @param offset where its text starts in the whole document
     * @param text   the exact characters cut out: the comma before the member's name up to the end of its value
     * @param digest the text's {@link #digest(String)}
     */
    public record Part(String name, int offset, String text, String digest) {
        public Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(digest, "digest");
        }

        Part(String name, int offset, String text) {
            this(name, offset, text, DocumentParts.digest(text));
        }
    }

    /** A digest of a part's text, to tell whether a stored part is still the same without comparing texts. */
    public static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /**
     * A document as the store keeps it.
     *
     * @param skeleton what the case row holds: the document without its parts
     * @param layout   where the parts go back and what they are ({@code name@offset:length:check,...}), empty when
     *                 the document is kept whole
     * @param parts    the parts, by offset
     */
    public record Split(String skeleton, Optional<String> layout, List<Part> parts) {
        public Split {
            Objects.requireNonNull(skeleton, "skeleton");
            Objects.requireNonNull(layout, "layout");
            parts = List.copyOf(parts);
        }
    }

    /** Cuts the write-once members out of a document; a document it cannot read is kept whole. */
    public static Split split(String document) {
        List<Part> parts = findParts(document);
        if (parts.isEmpty()) {
            return new Split(document, Optional.empty(), List.of());
        }
        StringBuilder skeleton = new StringBuilder(document.length());
        StringBuilder layout = new StringBuilder();
        int from = 0;
        for (Part part : parts) {
            skeleton.append(document, from, part.offset());
            from = part.offset() + part.text().length();
            layout.append(layout.isEmpty() ? "" : ",").append(part.name()).append('@').append(part.offset())
                    .append(':').append(part.text().length()).append(':')
                    .append(part.digest(), 0, CHECK_LENGTH);
        }
        skeleton.append(document, from, document.length());
        return new Split(skeleton.toString(), Optional.of(layout.toString()), parts);
    }

    /** The names a layout lists, in its order. */
    public static List<String> names(String layout) {
        List<String> names = new ArrayList<>();
        for (String entry : layout.split(",")) {
            names.add(entry.substring(0, entry.indexOf('@')));
        }
        return names;
    }

    /**
     * Puts the parts back into a skeleton.
     *
     * @param parts the stored parts' texts by name; may hold more than the layout names
     * @throws IllegalArgumentException when a part the layout names is missing, is not the one the layout was
     *                                  written with, or does not fit
     */
    public static String assemble(String skeleton, String layout, Map<String, String> parts) {
        return assemble(skeleton, layout, parts, Map.of());
    }

    /**
     * As {@link #assemble(String, String, Map)}, with the {@link #digest digests} of the parts where the caller
     * computed them already; a part without one has it computed here.
     */
    public static String assemble(String skeleton, String layout, Map<String, String> parts,
            Map<String, String> digests) {
        StringBuilder document = new StringBuilder(skeleton);
        // Offsets are positions in the whole document: putting parts back in their order makes each fit.
        for (String entry : layout.split(",")) {
            Entry expected = Entry.parse(entry);
            String text = parts.get(expected.name());
            if (text == null) {
                throw new IllegalArgumentException("the stored part " + expected.name() + " is missing");
            }
            if (expected.check().isPresent()) {
                String digest = digests.containsKey(expected.name()) ? digests.get(expected.name()) : digest(text);
                if (text.length() != expected.length() || !digest.startsWith(expected.check().get())) {
                    throw new IllegalArgumentException("the stored part " + expected.name() + " is not the one the"
                            + " case was written with: " + text.length() + " characters where the layout expects "
                            + expected.length() + (text.length() == expected.length() ? ", and another digest" : ""));
                }
            }
            if (expected.offset() > document.length()) {
                // An earlier part is shorter than the one the layout was made with: stored from another version.
                throw new IllegalArgumentException("the stored part " + expected.name() + " does not fit: offset "
                        + expected.offset() + " is beyond the " + document.length()
                        + " characters put together before it");
            }
            document.insert(expected.offset(), text);
        }
        return document.toString();
    }

    /** One entry of a layout; a layout written before the check has neither length nor check. */
    private record Entry(String name, int offset, int length, Optional<String> check) {

        static Entry parse(String entry) {
            try {
                int at = entry.indexOf('@');
                String name = entry.substring(0, at);
                String[] fields = entry.substring(at + 1).split(":", -1);
                int offset = Integer.parseInt(fields[0]);
                if (fields.length == 1 && offset >= 0) {
                    return new Entry(name, offset, -1, Optional.empty());
                }
                if (fields.length != 3 || offset < 0 || Integer.parseInt(fields[1]) < 0 || fields[2].isEmpty()) {
                    throw new IllegalArgumentException("the layout entry " + entry + " is malformed");
                }
                return new Entry(name, offset, Integer.parseInt(fields[1]), Optional.of(fields[2]));
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalArgumentException("the layout entry " + entry + " is malformed", e);
            }
        }
    }

    /** The write-once members of a JSON object, by offset; empty when it is no object or has none. */
    private static List<Part> findParts(String text) {
        Map<String, Part> found = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int i = skipSpace(text, 0);
        if (i >= text.length() || text.charAt(i) != '{') {
            return List.of();
        }
        i = skipSpace(text, i + 1);
        if (i < text.length() && text.charAt(i) == '}') {
            return List.of();
        }
        int commaBefore = -1;
        while (true) {
            if (i >= text.length() || text.charAt(i) != '"') {
                return List.of();
            }
            int nameEnd = endOfString(text, i);
            if (nameEnd < 0) {
                return List.of();
            }
            String name = text.substring(i + 1, nameEnd - 1);
            if (!seen.add(name)) {
                return List.of();
            }
            i = skipSpace(text, nameEnd);
            if (i >= text.length() || text.charAt(i) != ':') {
                return List.of();
            }
            int valueEnd = endOfValue(text, skipSpace(text, i + 1));
            if (valueEnd < 0) {
                return List.of();
            }
            // The first member has no comma before it: it stays in the row.
            if (commaBefore >= 0 && WRITE_ONCE.contains(name) && valueEnd - commaBefore >= MIN_PART_LENGTH) {
                found.put(name, new Part(name, commaBefore, text.substring(commaBefore, valueEnd)));
            }
            i = skipSpace(text, valueEnd);
            if (i >= text.length()) {
                return List.of();
            }
            if (text.charAt(i) == '}') {
                break;
            }
            if (text.charAt(i) != ',') {
                return List.of();
            }
            commaBefore = i;
            i = skipSpace(text, i + 1);
        }
        if (skipSpace(text, i + 1) != text.length()) {
            return List.of();
        }
        List<Part> parts = new ArrayList<>(found.values());
        parts.sort(Comparator.comparingInt(Part::offset));
        return parts;
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\n'
                || text.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    /** The index after the string starting at {@code start} (a quote), or -1 when it does not end. */
    private static int endOfString(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The index after the value starting at {@code start}, or -1 when it is malformed or does not end. */
    private static int endOfValue(String text, int start) {
        if (start >= text.length()) {
            return -1;
        }
        char first = text.charAt(start);
        if (first == '"') {
            return endOfString(text, start);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int i = start; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    i = endOfString(text, i);
                    if (i < 0) {
                        return -1;
                    }
                    i--;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            }
            return -1;
        }
        int i = start;
        while (i < text.length() && ",}] \t\n\r".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i == start ? -1 : i;
    }
}
