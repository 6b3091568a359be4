package io.posunbind.store;

import io.posunbind.batch.BatchRowStatus;
import io.posunbind.spi.API;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of a batch as a {@link BatchStore} keeps it. Immutable.
 *
 * @param batchId        its batch
 * @param rowNumber      its number in the batch
 * @param providerId     the provider
 * @param terminalSerial the old terminal's serial number
 * @param timeZone       the zone its start window is judged in (an IANA id)
 * @param request        the unbind request as the engine stores it: JSON whose card, account, identity and phone
 *                       numbers are encrypted with the data keys; opaque to the store
 * @param caseId         the case it becomes (derived from the batch id and row number)
 * @param status         where it stands
 * @param outcome        its case's final state, or the row's status when it never became a case
 * @param errorCode      why it ended as it did, if a code says so
 * @param detail         what went with the code (scrubbed of sensitive numbers)
 * @param updatedAt      when it last changed
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchRowRecord(String batchId, int rowNumber, String providerId, String terminalSerial, String timeZone,
        String request, String caseId, BatchRowStatus status, Optional<String> outcome, Optional<String> errorCode,
        Optional<String> detail, Instant updatedAt) {

    /** Checks the fields. */
    public BatchRowRecord {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** This row moved to another status, with its outcome, code and detail. */
    public BatchRowRecord moved(BatchRowStatus to, Optional<String> newOutcome, Optional<String> newErrorCode,
            Optional<String> newDetail, Instant at) {
        return new BatchRowRecord(batchId, rowNumber, providerId, terminalSerial, timeZone, request, caseId, to,
                newOutcome, newErrorCode, newDetail, at);
    }
}
