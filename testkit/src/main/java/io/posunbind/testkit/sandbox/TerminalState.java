package io.posunbind.testkit.sandbox;

import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UsageRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A terminal as the sandbox acquirer's terminal-management backend keeps it. Mutable; only touched
 * while holding the backend's lock.
 */
final class TerminalState {

    final String serialNumber;
    final String model;
    TerminalStatus status;
    /** A list, not a single value, so that a test can seed an illegal 一机多户 terminal. */
    final List<String> boundMerchantNumbers = new ArrayList<>();
    Optional<String> storeId;
    final Map<String, Peripheral> peripheralsById = new LinkedHashMap<>();
    final List<UsageRecord> usageRecords = new ArrayList<>();
    final Map<String, String> settings = new LinkedHashMap<>();
    /** Whether setUpTerminal configured it for a merchant, which test transactions require. */
    boolean setUp;

    TerminalState(String serialNumber, String model, TerminalStatus status, Optional<String> storeId) {
        this.serialNumber = serialNumber;
        this.model = model;
        this.status = status;
        this.storeId = storeId;
    }

    boolean boundTo(String merchantNumber) {
        return boundMerchantNumbers.contains(merchantNumber);
    }

    Terminal snapshot() {
        return new Terminal(serialNumber, model, status, boundMerchantNumbers, storeId,
                List.copyOf(peripheralsById.values()));
    }
}
