package io.posunbind.testkit.sandbox;

import io.posunbind.spi.API;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.UsageRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The terminals of a {@link SandboxBackend} as its terminal-management backend shows them, taken from
 * {@link SandboxBackend#terminals()}: status and bindings, usage history, settings and the test
 * transactions run. Terminals are added with {@link SandboxBackend#addTerminal}.
 *
 * <p>Thread-safe: every method runs under the backend's lock. Methods other than {@link #terminal}
 * throw {@link IllegalArgumentException} for a terminal that was never added.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class SandboxTerminals {

    private final SandboxBackend backend;
    private final WorldState world;

    SandboxTerminals(SandboxBackend backend, WorldState world) {
        this.backend = backend;
        this.world = world;
    }

    /** The terminal as the terminal-management backend shows it, empty when unknown. */
    public Optional<Terminal> terminal(String serialNumber) {
        return backend.inspect(() -> world.terminalState(serialNumber).map(TerminalState::snapshot));
    }

    /** The terminal's usage history. */
    public List<UsageRecord> usageRecords(String serialNumber) {
        return backend.inspect(() -> List.copyOf(world.seededTerminal(serialNumber).usageRecords));
    }

    /** The terminal's settings. */
    public Map<String, String> settings(String serialNumber) {
        return backend.inspect(() -> Map.copyOf(world.seededTerminal(serialNumber).settings));
    }

    /** The test transactions run on a terminal, in order. */
    public List<SandboxTestTransaction> testTransactions(String serialNumber) {
        return backend.inspect(() -> world.testTransactions.values().stream()
                .filter(transaction -> transaction.serialNumber().equals(serialNumber))
                .toList());
    }
}
