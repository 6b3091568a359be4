package io.posunbind.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command must keep working: the demo ends with the case completed. */
class UnbindDemoTest {

    @TempDir
    Path data;

    @Test
    void theDemoTakesTheMerchantThroughTheWholeProcess() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CaseSnapshot result = new UnbindDemo(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(data);

        assertEquals(CaseState.COMPLETED, result.state());
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("Old terminal: 0820000001 PAX A920 DECOMMISSIONED"), output);
        assertTrue(output.contains("New terminal: 1170000001 PAX A920Pro ACTIVE"), output);
        assertTrue(output.contains("voided (no money moved)"), output);
        // The settlement card appears masked only.
        assertTrue(!output.contains("6222021001123456789") && !output.contains("31050161373700000512"), output);
    }
}
