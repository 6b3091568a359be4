package io.posunbind.examples.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's command line, as the campaign and cluster tests build it. */
class CampaignWorkerOptionsTest {

    @Test
    void readsWhatTheTestsPass() {
        List<String> args = new ArrayList<>(StoreSpec.postgres("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
                "secret").arguments());
        args.addAll(List.of("--sandbox", "http://127.0.0.1:4000", "--instance", "b", "--cases", "150",
                "--open", "50-100", "--open-rate", "12.5", "--lease-millis", "3000", "--events", "--stop-when-done",
                "--provider-ignores-keys", "--worker-threads", "0"));
        CampaignWorker.Options options = CampaignWorker.Options.parse(args.toArray(String[]::new));
        assertEquals("postgres", options.store().user());
        assertFalse(options.store().isH2());
        assertFalse(options.store().toString().contains("secret"), "the password stays out of logs");
        assertEquals(URI.create("http://127.0.0.1:4000"), options.sandbox());
        assertEquals("b", options.instanceId());
        assertEquals(150, options.cases());
        assertEquals(50, options.openFrom());
        assertEquals(100, options.openTo());
        assertEquals(12.5, options.openRate());
        assertEquals(Duration.ofMillis(3000), options.lease());
        assertTrue(options.events());
        assertTrue(options.stopWhenDone());
        assertTrue(options.providerIgnoresKeys());
        assertEquals(0, options.workerThreads(), "runDueWork on the main thread");
    }

    @Test
    void defaultsToOpeningEveryCaseAtOnceAndRunningOn() {
        CampaignWorker.Options options = CampaignWorker.Options.parse("--store", "h2:/tmp/cases", "--sandbox",
                "http://127.0.0.1:4000", "--cases", "20");
        assertTrue(options.store().isH2());
        assertEquals(0, options.openFrom());
        assertEquals(20, options.openTo());
        assertEquals(0.0, options.openRate());
        assertFalse(options.stopWhenDone());
        assertEquals(Duration.ofMillis(50), options.poll());
        assertFalse(options.providerIgnoresKeys(), "the sandbox honours keys unless told otherwise");
        assertEquals(4, options.workerThreads(), "a worker runs the cases unless told otherwise");
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> CampaignWorker.Options.parse("--sandbox", "http://x"));
        assertThrows(IllegalArgumentException.class, () -> CampaignWorker.Options.parse("--store", "mysql:x",
                "--sandbox", "http://127.0.0.1:1", "--cases", "1"));
    }

    @Test
    void findsTheCaseOfATerminal() {
        assertEquals(42, CampaignCases.indexOfTerminal(io.posunbind.examples.remote.SandboxFleet.terminalSerial(42)));
        assertEquals(-1, CampaignCases.indexOfTerminal("0820000001x"));
        assertEquals(-1, CampaignCases.indexOfTerminal(io.posunbind.examples.remote.SandboxFleet.replacementSerial(4)));
    }
}
