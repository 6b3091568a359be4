package io.posunbind.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
        // Plain text for any console or log file: no terminal escape codes such as ESC[0m.
        assertFalse(output.contains("\u001b"), output);
    }

    @Test
    void aDemoRunWithoutADirectoryLeavesNothingBehind() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        UnbindDemo demo = new UnbindDemo(new PrintStream(printed, true, StandardCharsets.UTF_8));

        CaseSnapshot result = UnbindDemo.inTemporaryDirectory(data, demo::run);

        assertEquals(CaseState.COMPLETED, result.state());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Case store: H2 file in " + data));
        assertEquals(List.of(), contentsOf(data));
    }

    @Test
    void aDemoRunThatFailsStillDeletesItsTemporaryDirectory() throws IOException {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> UnbindDemo.inTemporaryDirectory(data, directory -> {
                    try {
                        Files.createDirectories(directory.resolve("audit-keys"));
                        Files.writeString(directory.resolve("posunbind.mv.db"), "half-written store");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    throw new IllegalStateException("the demo failed half-way");
                }));

        assertEquals("the demo failed half-way", failure.getMessage());
        assertEquals(List.of(), contentsOf(data));
    }

    private static List<Path> contentsOf(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.toList();
        }
    }
}
