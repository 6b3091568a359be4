package io.posunbind.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.store.SqlStates;
import io.posunbind.spi.PosUnbindException;
import java.sql.SQLException;

/**
 * The exceptions of {@link JdbcCaseStore} for failed statements. Messages name the action and the SQLSTATE,
 * never a value of the case: the document may hold personal data.
 */
final class JdbcFailures {

    private JdbcFailures() {
    }

    /** {@link CoreErrorCode#INVALID_REQUEST} when the database rejected a value, else {@link #unavailable}. */
    static PosUnbindException failure(String action, SQLException e) {
        if (SqlStates.isDataException(e)) {
            return new PosUnbindException(CoreErrorCode.INVALID_REQUEST, "The database rejected a value when trying to "
                    + action + " (SQLSTATE " + e.getSQLState() + "); retrying will not help", null, e);
        }
        return unavailable(action, e);
    }

    /** {@link CoreErrorCode#STORE_UNAVAILABLE}: retryable. */
    static PosUnbindException unavailable(String action, SQLException e) {
        return new PosUnbindException(CoreErrorCode.STORE_UNAVAILABLE, "Could not " + action + " (SQLSTATE "
                + e.getSQLState() + "); check that the database is reachable and retry", null, e);
    }
}
