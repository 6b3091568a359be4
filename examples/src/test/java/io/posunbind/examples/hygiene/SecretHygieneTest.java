package io.posunbind.examples.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Card, account, identity and phone numbers never appear in clear in what the SDK writes: this test
 * runs every scenario and the demo with logging at DEBUG (see {@code simplelogger.properties}), captures
 * standard output and standard error, where the log goes, and scans every line.
 */
class SecretHygieneTest {

    /** The clear numbers the scenarios and the demo use; none may show up. */
    private static final List<String> KNOWN_SECRETS = List.of("6222021001123456789", "31050161373700000512",
            "6222021001123456780", "11010519491231002X", "110105194912310021");

    private static final Pattern LONG_DIGITS = Pattern.compile("(?<![0-9])[0-9]{15,19}(?![0-9])");
    private static final Pattern IDENTITY = Pattern.compile("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])");
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");

    @Test
    void noClearNumberInAnyLineTheScenariosAndTheDemoWrite() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        TestExecutionSummary summary;
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage("io.posunbind.examples.scenarios"), selectClass("io.posunbind.examples.demo.UnbindDemoTest"))
                    // The campaign feeds garbage on purpose; its inputs are not the SDK's output.
                    .filters(excludeClassNamePatterns(".*BadInputCampaignTest"))
                    .build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            summary = listener.getSummary();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        assertEquals(0, summary.getTotalFailureCount(), () -> summary.getFailures().toString());
        assertTrue(summary.getTestsSucceededCount() > 20, "the scenarios ran");

        List<String> lines = new ArrayList<>(console.toString(StandardCharsets.UTF_8).lines().toList());
        assertTrue(lines.stream().anyMatch(line -> line.contains("DEBUG")), "DEBUG lines were written");

        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            for (String secret : KNOWN_SECRETS) {
                if (line.contains(secret)) {
                    leaks.add("known secret: " + line);
                }
            }
            find(LONG_DIGITS, line, SecretHygieneTest::luhnValid, "card-like number", leaks);
            find(IDENTITY, line, SecretHygieneTest::identityChecksumValid, "identity number", leaks);
            find(MOBILE, line, number -> true, "mobile number", leaks);
        }
        System.out.println("Secret hygiene: scanned " + lines.size() + " lines, " + leaks.size() + " leaks");
        assertEquals(List.of(), leaks);
    }

    private static void find(Pattern pattern, String line, java.util.function.Predicate<String> real, String what,
            List<String> leaks) {
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
