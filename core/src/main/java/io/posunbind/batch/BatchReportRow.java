package io.posunbind.batch;

import io.posunbind.CaseId;
import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one row. Carries identifiers and codes only, so a report can be mailed or archived: no card,
 * account or identity number (the detail is scrubbed before it is stored). Immutable and thread-safe.
 *
 * @param rowNumber      the row
 * @param terminalSerial the old terminal's serial number
 * @param providerId     the provider
 * @param caseId         its case, once it started
 * @param status         where the row stands
 * @param outcome        the final state: the case's state once its case ended ({@code COMPLETED},
 *                       {@code FAILED}, {@code CANCELLED}, ...), or the case's current state while it is open,
 *                       or the row's status when it never became a case
 * @param errorCode      the code that ended it, if any (a failed case's code, the code of a refused start)
 * @param detail         what went with the code, if anything
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchReportRow(int rowNumber, String terminalSerial, String providerId, Optional<CaseId> caseId,
        BatchRowStatus status, String outcome, Optional<String> errorCode, Optional<String> detail) {

    /** Checks the fields. */
    public BatchReportRow {
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(detail, "detail");
    }
}
