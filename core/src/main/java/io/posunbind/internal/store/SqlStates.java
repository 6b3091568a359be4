package io.posunbind.internal.store;

import java.sql.SQLException;

/**
 * Classes of SQLSTATE codes (SQL standard, also used by H2 and PostgreSQL) the store reacts to. Failures
 * are told apart by these codes, never by message text, which differs between databases and versions.
 */
public final class SqlStates {

    private SqlStates() {
    }

    /** Class 23: a constraint was violated, such as a duplicate primary key. */
    public static boolean isIntegrityViolation(SQLException e) {
        return hasClass(e, "23");
    }

    /** Class 22: a value was rejected, such as a string too long for its column. */
    public static boolean isDataException(SQLException e) {
        return hasClass(e, "22");
    }

    /**
     * Whether the connection that raised the failure is still good for the next statement. Rejected
     * values, violated constraints and rolled-back transactions (class 40) leave it intact; anything
     * else may mean it is broken, so the pool replaces it.
     */
    public static boolean leavesConnectionUsable(SQLException e) {
        return isIntegrityViolation(e) || isDataException(e) || hasClass(e, "40");
    }

    private static boolean hasClass(SQLException e, String sqlStateClass) {
        String state = e.getSQLState();
        return state != null && state.startsWith(sqlStateClass);
    }
}
