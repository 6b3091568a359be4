package io.posunbind.validation;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the characters that let two different values look alike or hide text from the person reading
 * it. Shared by {@link IdentifierValidator} and {@link FreeTextValidator}; stateless and thread-safe.
 */
final class UnsafeCharacters {

    private UnsafeCharacters() {
    }

    /** The first character an identifier must not hold, described for the violation's message. */
    static Optional<String> inIdentifier(String value) {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (isUnpairedSurrogate(value, i) || isInvisibleOrControl(codePoint)
                    || Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
                return Optional.of(describe(codePoint, i));
            }
            i += Character.charCount(codePoint);
        }
        // The same letter once precomposed and once with a combining mark would be two different ids.
        if (!Normalizer.isNormalized(value, Normalizer.Form.NFC)) {
            return Optional.of("a letter written with a separate combining mark (not in Unicode normal form C)");
        }
        return Optional.empty();
    }

    /** The first character free text must not hold; line breaks and tabs only where {@code multiLine}. */
    static Optional<String> inFreeText(String value, boolean multiLine) {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            boolean allowedLayout = codePoint == '\t' || (multiLine && (codePoint == '\n' || codePoint == '\r'));
            // A zero-width joiner builds emoji and some scripts' letters; it hides nothing on its own.
            boolean joiner = codePoint == 0x200D || (codePoint >= 0xFE00 && codePoint <= 0xFE0F);
            if (!allowedLayout && !joiner && (isUnpairedSurrogate(value, i) || isInvisibleOrControl(codePoint)
                    || codePoint == 0x2028 || codePoint == 0x2029)) {
                return Optional.of(describe(codePoint, i));
            }
            i += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    private static boolean isUnpairedSurrogate(String value, int index) {
        char c = value.charAt(index);
        // codePointAt pairs a valid high and low surrogate; a surrogate left alone is unpaired.
        return Character.isSurrogate(c) && Character.isBmpCodePoint(value.codePointAt(index));
    }

    /**
     * Controls (C0, C1), format characters (zero-width space and joiners, bidi embeddings, overrides and
     * isolates, soft hyphen, word joiner, byte-order mark), private-use, unassigned and non-characters,
     * the replacement character left by a broken encoding, variation selectors, the combining grapheme
     * joiner and the Hangul fillers, which show as nothing.
     */
    private static boolean isInvisibleOrControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || codePoint == 0xFFFD || (codePoint & 0xFFFE) == 0xFFFE || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF)
                || (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || (codePoint >= 0xE0100 && codePoint <= 0xE01EF)
                || codePoint == 0x034F || codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x3164
                || codePoint == 0xFFA0;
    }

    /** "U+202E (RIGHT-TO-LEFT OVERRIDE) at position 4": names the character, never the value around it. */
    private static String describe(int codePoint, int index) {
        String name = Character.getName(codePoint);
        return String.format(Locale.ROOT, "U+%04X%s at position %d", codePoint,
                name == null ? "" : " (" + name + ")", index + 1);
    }
}
