package io.posunbind.batch;

import io.posunbind.CaseId;
import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;

/**
 * What cancelling a batch did. Rows not started end as {@link BatchRowStatus#CANCELLED_BEFORE_START}, without
 * a case. Each started case still open is cancelled with the ordinary cancel command, so the per-step rules
 * hold (see {@code Unbinder.cancel}): before any change at the provider it ends {@code CANCELLED}, after
 * changes {@code CANCELLED_PARTIALLY}; with an operation in flight the cancel is refused, the case goes on and
 * is listed in {@link #notCancelled()} with the refusal's code. Cancel those again later (with
 * {@code unbinder.cancel}) or let them finish. Immutable and thread-safe.
 *
 * @param batchId               the batch
 * @param rowsCancelledBeforeStart how many rows never became cases
 * @param casesCancelled        the open cases the cancel ended
 * @param notCancelled          the open cases it could not end, and why
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchCancellation(BatchId batchId, int rowsCancelledBeforeStart, List<CaseId> casesCancelled,
        List<Refusal> notCancelled) {

    /** Checks and copies the fields. */
    public BatchCancellation {
        Objects.requireNonNull(batchId, "batchId");
        casesCancelled = List.copyOf(casesCancelled);
        notCancelled = List.copyOf(notCancelled);
    }

    /**
     * A started case the cancel could not end.
     *
     * @param rowNumber the row
     * @param caseId    its case
     * @param errorCode the refusal's code, such as {@code UNB-CANCEL-IN-FLIGHT} or {@code UNB-CASE-BUSY}
     * @param message   the refusal's message, which says what was done so far
     */
    public record Refusal(int rowNumber, CaseId caseId, String errorCode, String message) {

        /** Checks the fields. */
        public Refusal {
            Objects.requireNonNull(caseId, "caseId");
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(message, "message");
        }
    }
}
