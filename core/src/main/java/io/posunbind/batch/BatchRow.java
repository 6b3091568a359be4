package io.posunbind.batch;

import io.posunbind.UnbindRequest;
import io.posunbind.spi.API;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One terminal of a batch: its row number (the line of the file it came from, or any positive number the
 * caller gives, unique in the batch), the unbind request, and the merchant's time zone, against which the
 * batch's {@link StartWindow} is judged (the batch's default zone when empty). Immutable and thread-safe.
 *
 * @param rowNumber 1 to {@value #MAX_ROW_NUMBER}
 * @param request   what to unbind; its {@code requestedBy} is who asked for the row
 * @param timeZone  the merchant's time zone, if it differs from the batch's default
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchRow(int rowNumber, UnbindRequest request, Optional<ZoneId> timeZone) {

    /** The highest row number: seven digits, so that a row's case id fits (see {@link BatchId#caseIdOf}). */
    public static final int MAX_ROW_NUMBER = 9_999_999;

    /** Checks the fields. */
    public BatchRow {
        checkRowNumber(rowNumber);
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** A row in the batch's default time zone. */
    public static BatchRow of(int rowNumber, UnbindRequest request) {
        return new BatchRow(rowNumber, request, Optional.empty());
    }

    static void checkRowNumber(int rowNumber) {
        if (rowNumber < 1 || rowNumber > MAX_ROW_NUMBER) {
            throw new IllegalArgumentException("Row numbers run from 1 to " + MAX_ROW_NUMBER + ", was " + rowNumber);
        }
    }
}
