package io.posunbind.batch;

import io.posunbind.CaseId;
import io.posunbind.InvalidRequestException;
import io.posunbind.rules.RuleViolation;
import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The id of a batch: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_-]}, chosen by the caller
 * (so that a retried {@code openBatch} is recognised) or {@link #random()}. The case of row {@code n} is
 * {@code <batch id>-<n>} ({@link #caseIdOf(int)}): short enough for a {@link CaseId}, and the same on every
 * instance and after every restart, so a row never becomes two cases. Immutable and thread-safe.
 *
 * @param value the id
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchId(String value) {

    /** The longest batch id: with a dash and up to seven digits of row number it stays a case id. */
    public static final int MAX_LENGTH = CaseId.MAX_LENGTH - 8;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    /**
     * Checks the id's shape.
     *
     * @throws InvalidRequestException with {@link CoreErrorCode#INVALID_REQUEST} when it is not 1 to
     *         {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_-]}
     */
    public BatchId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidRequestException("The batch id is invalid", List.of(new RuleViolation(
                    CoreErrorCode.INVALID_REQUEST.code(), "batchId", "batchId has 1 to " + MAX_LENGTH
                    + " characters from A-Z, a-z, 0-9, _ and -")));
        }
    }

    /** Wraps an existing id. */
    public static BatchId of(String value) {
        return new BatchId(value);
    }

    /** A new random id of 26 characters. */
    public static BatchId random() {
        return new BatchId(CaseId.random().value());
    }

    /**
     * The id of the case that row {@code rowNumber} becomes.
     *
     * @param rowNumber 1 to {@value BatchRow#MAX_ROW_NUMBER}
     */
    public CaseId caseIdOf(int rowNumber) {
        BatchRow.checkRowNumber(rowNumber);
        return CaseId.of(value + "-" + rowNumber);
    }

    @Override
    public String toString() {
        return value;
    }
}
