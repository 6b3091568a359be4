package io.posunbind.batch;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * Something wrong with one row of a batch, found before anything started. Immutable and thread-safe.
 *
 * @param rowNumber the row (its number in the file: the first record after the header is row 1); 0 for a
 *                  problem of the whole file or batch
 * @param code      a stable code, such as {@code UNB-BATCH-FIELD-MISSING} or one of the request's own codes
 * @param field     the column or field concerned, empty when none
 * @param message   what is wrong and what to do; never holds a card, account or identity number in clear
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchRowProblem(int rowNumber, String code, String field, String message) {

    /** Checks the fields. */
    public BatchRowProblem {
        if (rowNumber < 0) {
            throw new IllegalArgumentException("rowNumber must not be negative");
        }
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (rowNumber == 0 ? "batch" : "row " + rowNumber) + (field.isEmpty() ? "" : " " + field) + ": " + code
                + " " + message;
    }
}
