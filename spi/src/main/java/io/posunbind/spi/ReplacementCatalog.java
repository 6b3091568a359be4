package io.posunbind.spi;

import io.posunbind.spi.model.TerminalCandidate;
import java.util.List;

/** Lists the terminal models a provider offers as replacements. Optional. Thread-safe. */
@API(status = API.Status.STABLE, since = "2.0")
public interface ReplacementCatalog {

    /** The models the provider offers to this merchant. */
    List<TerminalCandidate> candidatesFor(String merchantNumber);
}
