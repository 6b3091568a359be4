package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.application;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertPending;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static io.posunbind.testkit.sandbox.SandboxFixture.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.InvalidSettingException;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.TerminalStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox asked to keep its state in a folder survives a restart, as a real acquirer does: what it was
 * sent before is still there to be looked up, a request sent again under its key is not performed twice,
 * and its reference numbers go on where they stopped.
 */
class SandboxRestartTest {

    private final SandboxClock clock = SandboxClock.at(Instant.parse("2025-03-03T01:00:00Z"));

    @TempDir
    Path folder;

    @Test
    void aSandboxRestartedFromItsFolderAnswersALookupOfAnOperationSentBeforeTheRestart() {
        SandboxProvider before = new SandboxProvider(SandboxDemoData.seed(SandboxBackend.persistentIn(folder, clock)));
        OperationContext disable = context(OperationKind.DISABLE_TERMINAL, "case-0001.disable.1");
        OperationOutcome.Done sentBefore = assertDone(before.deviceAdapter().orElseThrow()
                .disableTerminal(disable, TERMINAL_SERIAL));

        SandboxBackend restarted = SandboxBackend.persistentIn(folder, clock);
        SandboxProvider after = new SandboxProvider(restarted);

        Optional<OperationOutcome> found = after.deviceAdapter().orElseThrow()
                .lookup(sent("case-0001.disable.1", OperationKind.DISABLE_TERMINAL, Optional.empty()));
        assertEquals(Optional.of(sentBefore), found);
        assertEquals(TerminalStatus.DISABLED, restarted.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        assertTrue(restarted.settlement().settlementAccount(MERCHANT_NUMBER).isPresent(), "the merchant's account is kept");
        // Sent again after the restart, the same request replays its answer without a second effect.
        assertEquals(sentBefore, after.deviceAdapter().orElseThrow().disableTerminal(disable.withAttempt(2),
                TERMINAL_SERIAL));
        assertEquals(1, restarted.requests().effectCount(disable.idempotencyKey()));
        // Its key with other parameters is still refused as reused.
        restarted.addTerminal("0820000002", "PAX A920", MERCHANT_NUMBER);
        assertRejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, after.deviceAdapter().orElseThrow()
                .disableTerminal(disable, "0820000002"));
        // A key never sent is still unknown.
        assertEquals(Optional.empty(), after.deviceAdapter().orElseThrow()
                .lookup(sent("case-0001.unbind.1", OperationKind.UNBIND_TERMINAL, Optional.empty())));
    }

    @Test
    void referencesAfterARestartNeverRepeatThoseGivenBefore() {
        SandboxProvider before = new SandboxProvider(SandboxDemoData.seed(SandboxBackend.persistentIn(folder, clock)));
        List<String> referencesBefore = references(before, "before");

        List<String> referencesAfter = references(new SandboxProvider(SandboxBackend.persistentIn(folder, clock)),
                "after");

        Set<String> all = new HashSet<>(referencesBefore);
        all.addAll(referencesAfter);
        assertEquals(referencesBefore.size() + referencesAfter.size(), all.size(),
                () -> "before " + referencesBefore + ", after " + referencesAfter);
        // Without a folder, a new sandbox starts its numbers again: the very repetition a restart must avoid.
        List<String> inMemory = references(SandboxProvider.withDemoData(clock), "before");
        assertEquals(referencesBefore, inMemory);
    }

    @Test
    void theStateIsOneJsonFileReplacedWholeAndWithoutALeftoverTemporaryFile() throws IOException {
        SandboxDemoData.seed(SandboxBackend.persistentIn(folder, clock)).faults().timeOutNext(OperationKind.DISABLE_TERMINAL);

        try (var files = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("sandbox-state.json")), files.toList());
        }
        assertTrue(Files.readString(folder.resolve("sandbox-state.json")).contains("\"lastReference\""));
    }

    @Test
    void theFactoryKeepsTheSandboxInTheFolderNamedByStateDir() {
        SandboxProviderFactory factory = new SandboxProviderFactory();
        ProviderSettings settings = ProviderSettings.of(Map.of("state-dir", folder.toString()));
        SandboxProvider first = (SandboxProvider) factory.create(settings);
        OperationContext disable = context(OperationKind.DISABLE_TERMINAL, "case-0001.disable.1");
        assertDone(first.deviceAdapter().orElseThrow().disableTerminal(disable, TERMINAL_SERIAL));

        SandboxProvider second = (SandboxProvider) factory.create(settings);

        assertEquals(TerminalStatus.DISABLED, second.backend().terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
        assertNotSame(first.backend(), second.backend());
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> factory.create(ProviderSettings.of(Map.of("state-dir", folder.resolve("absent").toString()))));
        assertEquals("state-dir", missing.key());
    }

    /** Three operations that each get a fresh reference: a disable, an application and an unbind. */
    private static List<String> references(SandboxProvider sandbox, String run) {
        List<String> references = new ArrayList<>();
        String serial = "CT-" + run;
        sandbox.backend().addTerminal(serial, "PAX A920", MERCHANT_NUMBER);
        OperationContext disable = context(OperationKind.DISABLE_TERMINAL, run + ".disable.1");
        references.add(assertDone(sandbox.deviceAdapter().orElseThrow().disableTerminal(disable, serial))
                .providerReference());
        OperationContext apply = context(OperationKind.SUBMIT_APPLICATION, run + ".apply.1");
        OperationOutcome submitted = sandbox.applicationAdapter().orElseThrow().submitApplication(apply, application("换机"));
        references.add(assertPending(submitted).providerReference().orElseThrow());
        OperationContext unbind = context(OperationKind.UNBIND_TERMINAL, run + ".unbind.1");
        references.add(assertInstanceOf(OperationOutcome.Done.class,
                sandbox.deviceAdapter().orElseThrow().unbindTerminal(unbind, serial)).providerReference());
        return references;
    }
}
