package io.posunbind.batch;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A batch file as read ({@link BatchFiles#parseCsv}, {@link BatchFiles#parseJson}): the rows read well, and the
 * problems of the file and of the rows that were not. Open it with {@link Batches#open(BatchId, BatchFile,
 * BatchOptions, io.posunbind.Actor)}, which checks the rows read as it checks rows from code and refuses the
 * batch with the file's problems and the rows' together, so a file is corrected in one round; or take
 * {@link #rowsOrThrow()} to stop at the file's own problems. Immutable.
 *
 * @param rows     the rows read well, by row number
 * @param problems the problems of the file (row 0) and of the rows that could not be read, by row number;
 *                 empty when every row was read
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record BatchFile(List<BatchRow> rows, List<BatchRowProblem> problems) {

    /** Copies both lists, problems by row number; a file with neither rows nor problems has the problem of no rows. */
    public BatchFile {
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
        List<BatchRowProblem> sorted = new ArrayList<>(Objects.requireNonNull(problems, "problems"));
        if (rows.isEmpty() && sorted.isEmpty()) {
            sorted.add(new BatchRowProblem(0, CoreErrorCode.BATCH_INVALID.code(), "", "the file has no rows"));
        }
        sorted.sort(Comparator.comparingInt(BatchRowProblem::rowNumber));
        problems = List.copyOf(sorted);
    }

    /** Whether the file was read without a problem. */
    public boolean readWell() {
        return problems.isEmpty();
    }

    /**
     * The rows, when the file was read without a problem.
     *
     * @throws BatchValidationException listing every problem of the file and of its rows
     */
    public List<BatchRow> rowsOrThrow() {
        if (!problems.isEmpty()) {
            throw new BatchValidationException(problems);
        }
        return rows;
    }

    /** How many rows were read, and how many problems: never the rows' contents. */
    @Override
    public String toString() {
        return "BatchFile[" + rows.size() + " rows read, " + problems.size() + " problems]";
    }
}
