package io.posunbind.store;

import static io.posunbind.store.CaseRecordBuilder.T0;
import static io.posunbind.store.CaseRecordBuilder.aCase;
import static io.posunbind.store.CaseRecordBuilder.nextVersionOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On an H2 database kept in files, the store's writes run one at a time (see {@code EmbeddedWrites}: a save of
 * the file that meets a write half done can leave, after a crash, a row change without its undo record). Counted
 * at the JDBC boundary: a connection is writing from its first row-changing statement to its commit or rollback
 * (or for one auto-committed statement), and each such statement takes a little time, so that overlaps show.
 * The same load on H2 in memory, where there is no file and no lock, overlaps: the count can see it.
 */
class OneWriterAtATimeOnH2FileTest {

    private static final int THREADS = 6;
    private static final int CASES_PER_THREAD = 12;

    @TempDir
    Path directory;

    @Test
    void casesClaimsLeasesAndReschedulesWriteOneAtATimeOnAFile() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("posunbind").toString().replace('\\', '/')
                + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
        Overlaps overlaps = new Overlaps();

        int writes = runLoad(overlaps.wrap(h2(url)));

        assertAll(() -> assertEquals(1, overlaps.most.get(), "writers at once"),
                () -> assertTrue(writes >= THREADS * CASES_PER_THREAD * 4, writes + " writes"));
    }

    @Test
    void theSameLoadOverlapsInMemoryWhereNothingIsSaved() throws Exception {
        Overlaps overlaps = new Overlaps();

        runLoad(overlaps.wrap(h2("jdbc:h2:mem:overlaps;DB_CLOSE_DELAY=-1")));

        assertTrue(overlaps.most.get() > 1, "writers at once: " + overlaps.most.get());
    }

    /** Each thread opens its cases, moves them, claims what is due, renews and gives back leases. */
    private static int runLoad(DataSource dataSource) throws Exception {
        AtomicInteger writes = new AtomicInteger();
        try (JdbcCaseStore store = JdbcCaseStore.create(dataSource, CommitDurability.SURVIVES_PROCESS_CRASH)) {
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(threads.submit(() -> {
                        String owner = "worker-" + thread;
                        for (int i = 0; i < CASES_PER_THREAD; i++) {
                            CaseRecord opened = aCase("case-" + thread + "-" + i).state("RUNNING")
                                    .wakeAt(T0.plusSeconds(3600)).build(); // due only once moved
                            store.insert(opened);
                            CaseRecord moved = nextVersionOf(opened, T0.plusSeconds(1)).wakeAt(T0).build();
                            store.update(moved, opened.version());
                            writes.addAndGet(2);
                            for (ClaimedCase claim : store.claimDue(owner, T0.plusSeconds(2), Duration.ofSeconds(30), 2)) {
                                CaseRecord claimed = claim.record();
                                store.renewLease(claimed.caseId(), owner, T0.plusSeconds(60));
                                store.reschedule(claimed.caseId(), claimed.version(), Optional.of(T0.plus(Duration.ofDays(1))),
                                        Optional.empty(), Optional.empty());
                                writes.addAndGet(2);
                            }
                            writes.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> each : done) {
                    each.get(2, TimeUnit.MINUTES);
                }
            } finally {
                threads.shutdownNow();
            }
        }
        return writes.get();
    }

    private static DataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        return dataSource;
    }

    /** Counts connections writing at once. */
    private static final class Overlaps {
        final AtomicInteger writing = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        DataSource wrap(DataSource target) {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        Object result = invoke(target, method, args);
                        return result instanceof Connection connection ? connection(connection) : result;
                    });
        }

        private Connection connection(Connection target) {
            boolean[] inTransaction = {false};
            InvocationHandler handler = (proxy, method, args) -> {
                String name = method.getName();
                if ((name.equals("commit") || name.equals("rollback") && (args == null || args.length == 0))
                        && inTransaction[0]) {
                    Object result = invoke(target, method, args);
                    inTransaction[0] = false;
                    writing.decrementAndGet();
                    return result;
                }
                Object result = invoke(target, method, args);
                if (result instanceof Statement statement && (name.equals("prepareStatement")
                        || name.equals("createStatement"))) {
                    String sql = args != null && args.length > 0 && args[0] instanceof String text
                            ? text.strip().toLowerCase(Locale.ROOT) : null;
                    return statement(statement, target, sql, inTransaction);
                }
                return result;
            };
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    handler);
        }

        private Object statement(Statement target, Connection connection, String preparedSql,
                boolean[] inTransaction) {
            Class<?> type = target instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class
                    : Statement.class;
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                String name = method.getName();
                boolean executes = name.startsWith("execute");
                String sql = preparedSql != null ? preparedSql : args != null && args.length > 0
                        && args[0] instanceof String text ? text.strip().toLowerCase(Locale.ROOT) : "";
                if (!executes || !writes(sql)) {
                    return invoke(target, method, args);
                }
                boolean alone = connection.getAutoCommit();
                if (alone || !inTransaction[0]) {
                    most.accumulateAndGet(writing.incrementAndGet(), Math::max);
                    inTransaction[0] = !alone;
                }
                try {
                    Thread.sleep(2); // long enough for another writer to show up, if it may
                    return invoke(target, method, args);
                } finally {
                    if (alone) {
                        writing.decrementAndGet();
                    }
                }
            });
        }

        private static boolean writes(String sql) {
            return sql.startsWith("insert") || sql.startsWith("update") || sql.startsWith("merge")
                    || sql.startsWith("delete") || sql.contains("(update ") || sql.contains("for update")
                    || sql.startsWith("checkpoint");
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
