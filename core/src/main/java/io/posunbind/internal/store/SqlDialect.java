package io.posunbind.internal.store;

import java.sql.DatabaseMetaData;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases the JDBC case store runs on. Queries are written once in SQL both accept; only the
 * schema scripts (column types, partial indexes) and the migration lock differ.
 */
public enum SqlDialect {
    /** H2 2.x, the embedded default. */
    H2("h2", Optional.empty()),
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql",
            // Serialises migrators of several processes; released when the migration commits.
            Optional.of("SELECT pg_advisory_xact_lock(7294815101)"));

    private final String directory;
    private final Optional<String> migrationLockSql;

    SqlDialect(String directory, Optional<String> migrationLockSql) {
        this.directory = directory;
        this.migrationLockSql = migrationLockSql;
    }

    /**
     * The dialect of a database, from {@link DatabaseMetaData#getDatabaseProductName()}.
     *
     * @throws IllegalArgumentException when the database is neither H2 nor PostgreSQL
     */
    public static SqlDialect fromProductName(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.equals("h2")) {
            return H2;
        }
        if (name.equals("postgresql")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("The posunbind case store runs on H2 or PostgreSQL, not on "
                + productName + "; give it a DataSource of one of those");
    }

    /** The folder of this dialect's schema scripts, below {@code io/posunbind/store/schema/}. */
    public String directory() {
        return directory;
    }

    /** A statement that locks out concurrent migrators until the transaction ends, where the database has one. */
    public Optional<String> migrationLockSql() {
        return migrationLockSql;
    }

    /**
     * Whether DDL takes part in transactions. Where it does not (H2 commits before each DDL statement),
     * the migrator records a version only after its script ran, and scripts must be safe to run twice.
     */
    public boolean transactionalDdl() {
        return this == POSTGRESQL;
    }
}
