package io.posunbind.examples.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

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
 * The demo writes no card, account, identity or phone number in clear: its tests run with logging at
 * DEBUG (see {@code simplelogger.properties}) and every line on standard output and standard error is
 * scanned. The engine's scenarios are scanned the same way in the test kit (its SecretHygieneTest).
 */
class DemoSecretHygieneTest {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSecretHygieneTest.class);

    /** The clear numbers the demo's merchant has; none may show up. */
    private static final List<String> KNOWN_SECRETS = List.of("6222021001123456789", "31050161373700000512",
            "6222021001123456780", "11010519491231002X", "110105194912310021");

    @Test
    void noClearNumberInAnyLineTheDemoWrites() {
        TestExecutionSummary[] summary = new TestExecutionSummary[1];
        List<String> lines = ClearNumbers.writtenWhile(() -> {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass("io.posunbind.examples.demo.UnbindDemoTest")).build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            summary[0] = listener.getSummary();
        });
        assertEquals(0, summary[0].getTotalFailureCount(), () -> summary[0].getFailures().toString());
        assertTrue(summary[0].getTestsSucceededCount() > 0, "the demo ran");
        assertTrue(lines.stream().anyMatch(line -> line.contains("DEBUG")), "DEBUG lines were written");

        assertEquals(List.of(), ClearNumbers.in(lines, KNOWN_SECRETS));
    }

    @Test
    void theScanFindsTheDemoMerchantsCardPlantedInTheLog() {
        List<String> lines = ClearNumbers.writtenWhile(
                () -> LOG.debug("careless: settling to {}", KNOWN_SECRETS.get(0)));

        List<String> leaks = ClearNumbers.in(lines, KNOWN_SECRETS);

        assertTrue(leaks.stream().anyMatch(leak -> leak.startsWith("known secret: ")), leaks::toString);
        assertTrue(leaks.stream().anyMatch(leak -> leak.startsWith("card-like number " + KNOWN_SECRETS.get(0))),
                leaks::toString);
    }
}
