package io.posunbind.batch;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.PosUnbindException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A batch was refused before any row started, with every problem of every row at once (code
 * {@code UNB-BATCH-INVALID}). Nothing was stored. {@code UnbindHttpApi} answers it 422 listing
 * {@link #problems()} by row, or 400 ({@code UNB-BATCH-FILE-MALFORMED}) when the file could not be read as
 * records; a web layer of your own can do the same.
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public final class BatchValidationException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    /** How many problems the message lists; {@link #problems()} has them all. */
    private static final int PROBLEMS_IN_MESSAGE = 20;

    private final transient List<BatchRowProblem> problems;

    /** Creates the exception; {@code problems} must not be empty. */
    public BatchValidationException(List<BatchRowProblem> problems) {
        super(CoreErrorCode.BATCH_INVALID, describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, by row number. */
    public List<BatchRowProblem> problems() {
        return problems;
    }

    private static String describe(List<BatchRowProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("A batch refused names its problems");
        }
        String listed = problems.stream().limit(PROBLEMS_IN_MESSAGE).map(BatchRowProblem::toString)
                .collect(Collectors.joining("; "));
        int more = problems.size() - PROBLEMS_IN_MESSAGE;
        return "The batch was refused; nothing started. " + problems.size() + " problem(s): " + listed
                + (more > 0 ? "; and " + more + " more" : "");
    }
}
