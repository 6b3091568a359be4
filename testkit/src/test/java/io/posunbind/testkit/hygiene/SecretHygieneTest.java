package io.posunbind.testkit.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import io.posunbind.testkit.ClearNumbers;
import java.util.List;
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
 * runs every engine scenario with logging at DEBUG (see {@code simplelogger.properties}), captures
 * standard output and standard error, where the log goes, and scans every line. The scenarios log like a
 * careless host application ({@code CarelessHost}): every event, request, document, snapshot, record
 * and exception, whole; so a value whose {@code toString()}, description, JSON or message showed a number
 * in clear would be found. A self-test plants clear numbers to show that the scan finds them. (The demo's
 * run is scanned the same way in examples.)
 */
class SecretHygieneTest {

    private static final Logger LOG = LoggerFactory.getLogger(SecretHygieneTest.class);

    /** The clear numbers the scenarios use; none may show up. */
    static final List<String> KNOWN_SECRETS = List.of("6222021001123456789", "31050161373700000512",
            "6222021001123456780", "11010519491231002X", "110105194912310021");

    @Test
    void noClearNumberInAnyLineTheScenariosWrite() {
        TestExecutionSummary[] summary = new TestExecutionSummary[1];
        List<String> lines = ClearNumbers.writtenWhile(() -> {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage("io.posunbind.testkit.scenarios"))
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

        List<String> leaks = ClearNumbers.in(lines, KNOWN_SECRETS);
        System.out.println("Secret hygiene: scanned " + lines.size() + " lines, " + leaks.size() + " leaks");
        assertEquals(List.of(), leaks);
    }

    @Test
    void theScanFindsAClearCardAndIdentityNumberPlantedInTheLog() {
        String card = "6228480012345678903";
        String identity = "440301199003071230";
        List<String> lines = ClearNumbers.writtenWhile(() -> {
            LOG.debug("careless: the merchant's card is {}", card);
            LOG.debug("careless: failed for the holder of {}", identity, new IllegalStateException("holder "
                    + identity));
            LOG.debug("careless: masked only: 622848*********8903, 4*************0, case 0820000001");
        });

        List<String> leaks = ClearNumbers.in(lines, KNOWN_SECRETS);

        assertTrue(leaks.stream().anyMatch(leak -> leak.startsWith("card-like number " + card + ": ")),
                leaks::toString);
        assertTrue(leaks.stream().anyMatch(leak -> leak.startsWith("identity number " + identity + ": ")),
                leaks::toString);
        assertTrue(leaks.stream().noneMatch(leak -> leak.contains("masked only")), leaks::toString);
        assertEquals(List.of("known secret: careless: 11010519491231002X"),
                ClearNumbers.in(List.of("careless: 11010519491231002X"), KNOWN_SECRETS).stream()
                        .filter(leak -> leak.startsWith("known secret")).toList());
    }
}
