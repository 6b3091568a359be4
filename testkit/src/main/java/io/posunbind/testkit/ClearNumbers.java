package io.posunbind.testkit;

import io.posunbind.spi.API;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds card, identity and mobile numbers in clear in lines a program wrote (its log, its console), for a
 * test that runs a host's scenarios with logging at DEBUG and asserts that nothing leaked. A long digit
 * run counts as a card only when its Luhn check holds, and an 18-character run as an identity number only
 * when its checksum holds, so case numbers and timestamps do not trip the scan. Each finding names what
 * it looks like, the number and its line: meant for a failing test's report, never for a log.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class ClearNumbers {

    // Not inside a word: random ids hold digit runs by chance (a backup id "c16602208459d", a temporary
    // directory "epg574655874283602570" that embedded PostgreSQL logs), which made the scan fail at random;
    // a card, identity or phone number in a line stands apart from Latin letters and digits.
    private static final Pattern LONG_DIGITS = Pattern.compile("(?<![0-9A-Za-z])[0-9]{15,19}(?![0-9A-Za-z])");
    private static final Pattern IDENTITY = Pattern.compile("(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])");
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])");

    private ClearNumbers() {
    }

    /**
     * Every clear number in {@code lines}: the {@code knownSecrets} the test used wherever they appear, and
     * anything that looks like a real card, identity or mobile number.
     */
    public static List<String> in(List<String> lines, Collection<String> knownSecrets) {
        Objects.requireNonNull(lines, "lines");
        List<String> secrets = List.copyOf(knownSecrets);
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    leaks.add("known secret: " + line);
                }
            }
            find(LONG_DIGITS, line, ClearNumbers::luhnValid, "card-like number", leaks);
            find(IDENTITY, line, ClearNumbers::identityChecksumValid, "identity number", leaks);
            find(MOBILE, line, number -> true, "mobile number", leaks);
        }
        return leaks;
    }

    /** The lines written to standard output and standard error (where slf4j-simple logs) while {@code work} ran. */
    public static List<String> writtenWhile(Runnable work) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            work.run();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void find(Pattern pattern, String line, Predicate<String> real, String what, List<String> leaks) {
        Matcher matcher = pattern.matcher(line);
        while (matcher.find()) {
            if (real.test(matcher.group())) {
                leaks.add(what + " " + matcher.group() + ": " + line);
            }
        }
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    static boolean identityChecksumValid(String number) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (number.charAt(i) - '0') * weights[i];
        }
        char expected = "10X98765432".charAt(sum % 11);
        return Character.toUpperCase(number.charAt(17)) == expected;
    }
}
