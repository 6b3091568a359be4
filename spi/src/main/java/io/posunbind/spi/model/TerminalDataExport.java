package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a terminal holds that must be backed up before it is unbound: its usage history and settings.
 *
 * @param serialNumber the terminal
 * @param usageRecords its usage history
 * @param settings     its settings as the provider reports them (never secrets such as keys)
 */
@API(status = API.Status.STABLE, since = "2.0")
public record TerminalDataExport(String serialNumber, List<UsageRecord> usageRecords, Map<String, String> settings) {

    /** Checks and copies the fields. */
    public TerminalDataExport {
        Objects.requireNonNull(serialNumber, "serialNumber");
        usageRecords = List.copyOf(usageRecords);
        settings = Map.copyOf(settings);
    }
}
