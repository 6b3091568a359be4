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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Card, account, identity and phone numbers never appear in clear in what the SDK writes: this test
 * runs every scenario and the demo with logging at DEBUG (see {@code simplelogger.properties}), captures
 * standard output and standard error, where the log goes, and scans every line. The scenarios log like a
 * careless host application ({@code CarelessHost}): every event, request, document, snapshot, record
 * and exception, whole; so a value whose {@code toString()}, description, JSON or message showed a number
 * in clear would be found. A self-test plants clear numbers to show that the scan finds them.
 */
class SecretHygieneTest {

    private static final Logger LOG = LoggerFactory.getLogger(SecretHygieneTest.class);

    /** The clear numbers the scenarios and the demo use; none may show up. */
    private static final List<String> KNOWN_SECRETS = List.of("6222021001123456789", "31050161373700000512",
            "6222021001123456780", "11010519491231002X", "110105194912310021");

    // Not inside a word: random hex ids (backup ids) hold digit runs like "c16602208459d" by chance, which
    // made the scan fail at random; a card or phone number in a line stands apart from letters.
    private static final Pattern LONG_DIGITS = Pattern.compile("(?<![0-9A-Za-z])[0-9]{15,19}(?![0-9A-Za-z])");
    private static final Pattern IDENTITY = Pattern.compile("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])");
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])");

    @Test
    void noClearNumberInAnyLineTheScenariosAndTheDemoWrite() {
        TestExecutionSummary[] summary = new TestExecutionSummary[1];
        List<String> lines = capturingConsole(() -> {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage("io.posunbind.examples.scenarios"), selectClass("io.posunbind.examples.demo.UnbindDemoTest"))
                    // The campaign feeds garbage on purpose; its inputs are not the SDK's output.
                    .filters(excludeClassNamePatterns(".*BadInputCampaignTest"))
                    .build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            summary[0] = listener.getSummary();
        });
        assertEquals(0, summary[0].getTotalFailureCount(), () -> summary[0].getFailures().toString());
        assertTrue(summary[0].getTestsSucceededCount() > 20, "the scenarios ran");
        assertTrue(lines.stream().anyMatch(line -> line.contains("DEBUG")), "DEBUG lines were written");
        for (String logged : List.of("careless.host - event ", "careless.host - snapshot ", "careless.host - 描述 ",
                "careless.host - json ", "careless.host - request: ", "careless.host - documents: ",
                "careless.host - failed: ")) {
            assertTrue(lines.stream().anyMatch(line -> line.contains(logged)),
                    "the scenarios logged like a careless host: " + logged);
        }

        List<String> leaks = leaks(lines);
        System.out.println("Secret hygiene: scanned " + lines.size() + " lines, " + leaks.size() + " leaks");
        assertEquals(List.of(), leaks);
    }

    @Test
    void theScanFindsAClearCardAndIdentityNumberPlantedInTheLog() {
        String card = "6228480012345678903";
        String identity = "440301199003071230";
        List<String> lines = capturingConsole(() -> {
            LOG.debug("careless: the merchant's card is {}", card);
            LOG.debug("careless: failed for the holder of {}", identity, new IllegalStateException("holder "
                    + identity));
            LOG.debug("careless: masked only: 622848*********8903, 4*************0, case 0820000001");
        });

        List<String> leaks = leaks(lines);

        assertTrue(leaks.stream().anyMatch(leak -> leak.startsWith("card-like number " + card + ": ")),
                leaks::toString);
        assertTrue(leaks.stream().anyMatch(leak -> leak.startsWith("identity number " + identity + ": ")),
                leaks::toString);
        assertTrue(leaks.stream().noneMatch(leak -> leak.contains("masked only")), leaks::toString);
        assertEquals(List.of("known secret: careless: 11010519491231002X"),
                leaks(List.of("careless: 11010519491231002X")).stream()
                        .filter(leak -> leak.startsWith("known secret")).toList());
    }

    /** What was written to standard output and standard error (where the log goes) while the work ran. */
    private static List<String> capturingConsole(Runnable work) {
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

    /** Every clear number in the lines, each with what it looks like and its line. */
    static List<String> leaks(List<String> lines) {
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
        return leaks;
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
