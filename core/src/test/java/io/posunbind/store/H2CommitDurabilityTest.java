package io.posunbind.store;

import static io.posunbind.store.CaseRecordBuilder.T0;
import static io.posunbind.store.CaseRecordBuilder.aCase;
import static io.posunbind.store.CaseRecordBuilder.nextVersionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 never forces its file to the disk by itself: a commit reaches the file, which a killed process cannot take
 * back, but a power failure can. With {@link CommitDurability#SURVIVES_POWER_LOSS} (the default) the store forces
 * the file after each commit of case writes, before the writer hears that it committed.
 */
class H2CommitDurabilityTest {

    @TempDir
    Path directory;

    @Test
    void everyCaseWriteIsOnTheDiskBeforeItReturns() throws SQLException {
        StatementLog log = new StatementLog();
        try (JdbcCaseStore store = JdbcCaseStore.create(log.wrap(h2File("default")))) {
            log.clear();
            CaseRecord opened = aCase("case-1").build();
            store.insert(opened);
            assertEquals("CHECKPOINT SYNC", log.last(), "the insert is forced to the disk before it returns");

            log.clear();
            store.update(nextVersionOf(opened, T0.plusSeconds(1)).state("OUTCOME_UNKNOWN").build(), 1);
            assertEquals("CHECKPOINT SYNC", log.last(), "the update is forced to the disk before it returns");

            log.clear();
            store.reschedule("case-1", 2, Optional.of(T0.plusSeconds(60)), Optional.empty(), Optional.empty());
            assertEquals("CHECKPOINT SYNC", log.last(), "the reschedule is forced to the disk before it returns");
        }
    }

    @Test
    void h2FileStoresSurvivePowerLossToo() {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(directory.resolve("own"))) {
            store.insert(aCase("case-1").build());
            assertTrue(store.toString().contains("SURVIVES_POWER_LOSS"), store.toString());
        }
    }

    @Test
    void aStoreThatNeedOnlySurviveAProcessCrashDoesNotForceTheFile() throws SQLException {
        StatementLog log = new StatementLog();
        try (JdbcCaseStore store = JdbcCaseStore.create(log.wrap(h2File("fast")),
                CommitDurability.SURVIVES_PROCESS_CRASH)) {
            CaseRecord opened = aCase("case-1").build();
            store.insert(opened);
            store.update(nextVersionOf(opened, T0.plusSeconds(1)).build(), 1);

            assertEquals(List.of(), log.forcings());
            assertEquals(2, store.load("case-1").orElseThrow().version());
            assertTrue(store.toString().contains("SURVIVES_PROCESS_CRASH"), store.toString());
        }
    }

    @Test
    void anInMemoryDatabaseHasNoDiskToForce() throws SQLException {
        StatementLog log = new StatementLog();
        JdbcDataSource memory = new JdbcDataSource();
        memory.setURL("jdbc:h2:mem:durability-" + System.identityHashCode(this) + ";DB_CLOSE_DELAY=-1");
        try (JdbcCaseStore store = JdbcCaseStore.create(log.wrap(memory))) {
            store.insert(aCase("case-1").build());

            assertEquals(List.of(), log.forcings());
        }
    }

    @Test
    void aUserWithoutTheAdminRightStillStoresCasesButCannotForceTheFile() throws SQLException {
        // The administrator brings the schema up to date (its settings need the ADMIN right), then lets the
        // application's user read and write the tables.
        JdbcDataSource admin = h2File("shared");
        JdbcCaseStore.create(admin).close();
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER app PASSWORD 'app-secret'");
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC TO app");
            statement.execute("GRANT ALTER ANY SCHEMA TO app");
        }
        // Database settings such as WRITE_DELAY need the ADMIN right too: the application's URL has none.
        JdbcDataSource application = new JdbcDataSource();
        application.setURL("jdbc:h2:file:" + directory.resolve("shared").resolve("posunbind"));
        application.setUser("app");
        application.setPassword("app-secret");
        StatementLog log = new StatementLog();

        try (JdbcCaseStore store = JdbcCaseStore.create(log.wrap(application))) {
            log.clear();
            store.insert(aCase("case-1").build());

            assertEquals(List.of(), log.forcings(), "refused once when the store opened; not tried on every commit");
            assertEquals(1, store.load("case-1").orElseThrow().version());
            assertTrue(store.toString().contains("SURVIVES_PROCESS_CRASH"), store.toString());
        }
    }

    private JdbcDataSource h2File(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + directory.resolve(name).resolve("posunbind") + ";WRITE_DELAY=0");
        return dataSource;
    }

    /** The statements run through a DataSource's connections, prepared or not, in order. */
    private static final class StatementLog {
        private final List<String> statements = new CopyOnWriteArrayList<>();

        DataSource wrap(DataSource target) {
            return proxy(DataSource.class, target, null);
        }

        void clear() {
            statements.clear();
        }

        String last() {
            return statements.isEmpty() ? "(none)" : statements.get(statements.size() - 1);
        }

        List<String> forcings() {
            return statements.stream().filter(sql -> sql.startsWith("CHECKPOINT")).toList();
        }

        @SuppressWarnings("unchecked")
        private <T> T proxy(Class<T> type, T target, String sql) {
            InvocationHandler handler = (self, method, args) -> invoke(target, sql, method, args);
            return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
        }

        private Object invoke(Object target, String sql, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (sql != null && name.startsWith("execute")) {
                statements.add(sql);
            } else if (target instanceof Statement && !(target instanceof PreparedStatement)
                    && name.startsWith("execute") && args != null && args[0] instanceof String text) {
                statements.add(text.strip().toUpperCase(Locale.ROOT));
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection connection) {
                return proxy(Connection.class, connection, null);
            }
            if (result instanceof PreparedStatement prepared && args != null && args[0] instanceof String text) {
                return proxy(PreparedStatement.class, prepared, text.strip().split("\\s+", 2)[0]);
            }
            if (result instanceof Statement plain && !(result instanceof PreparedStatement)) {
                return proxy(Statement.class, plain, null);
            }
            return result;
        }
    }
}
