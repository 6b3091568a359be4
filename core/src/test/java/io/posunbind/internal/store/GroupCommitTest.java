package io.posunbind.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private static int databases;

    private String url;
    private Connection keepAlive;
    private ConnectionPool pool;
    private ExecutorService callers;
    private final CountDownLatch started = new CountDownLatch(1);

    @BeforeEach
    void openDatabase() throws SQLException {
        url = "jdbc:h2:mem:group-commit-" + (++databases) + ";LOCK_TIMEOUT=10000";
        keepAlive = DriverManager.getConnection(url);
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("CREATE TABLE item (id VARCHAR(64) PRIMARY KEY, amount INT NOT NULL)");
        }
        pool = new ConnectionPool(() -> DriverManager.getConnection(url), 4, Duration.ofSeconds(10));
        callers = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() throws SQLException {
        callers.shutdownNow();
        pool.close();
        keepAlive.close();
    }

    @Test
    void aLoneWriterCommitsAtOnceInAutoCommitMode() throws SQLException {
        GroupCommit writes = new GroupCommit(pool, 64, 1);

        boolean autoCommit = writes.run("a", connection -> {
            insert(connection, "a", 1);
            return connection.connection().getAutoCommit();
        });

        assertTrue(autoCommit, "a single write needs no transaction of its own");
        assertEquals(List.of("a"), ids());
    }

    @Test
    void aLoneWriteOfSeveralStatementsCommitsAllOfThemOrNone() throws SQLException {
        GroupCommit writes = new GroupCommit(pool, 64, 1);

        writes.runStatements("case", connection -> {
            insert(connection, "case", 1);
            insert(connection, "case-reference", 1);
            return null;
        });
        // The second statement fails (the id exists): the first must not stay committed alone.
        assertThrows(SQLException.class, () -> writes.runStatements("other", connection -> {
            insert(connection, "other", 1);
            insert(connection, "case", 1);
            return null;
        }));

        assertEquals(List.of("case", "case-reference"), ids());
        assertTrue(keepAlive.getAutoCommit());
    }

    @Test
    void writersQueuedBehindABusyLeaderShareOneTransaction() throws Exception {
        GroupCommit writes = new GroupCommit(pool, 64, 1);
        GroupCommit.Write<Boolean> insertFirst = connection -> {
            insert(connection, "first", 1);
            return connection.connection().getAutoCommit();
        };
        List<Map.Entry<String, GroupCommit.Write<Boolean>>> queued = new ArrayList<>();
        for (String id : List.of("c", "a", "b")) {
            queued.add(Map.entry(id, connection -> {
                insert(connection, id, 1);
                return connection.connection().getAutoCommit();
            }));
        }

        List<Future<Boolean>> results = runBehindABusyLeader(writes, insertFirst, queued);

        assertTrue(results.get(0).get(10, TimeUnit.SECONDS));
        for (Future<Boolean> write : results.subList(1, results.size())) {
            assertFalse(write.get(10, TimeUnit.SECONDS), "queued writes run together, in one transaction");
        }
        assertEquals(List.of("a", "b", "c", "first"), ids());
    }

    @Test
    void aFailingWriteFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        insert("taken");
        GroupCommit writes = new GroupCommit(pool, 64, 1);

        List<Future<Integer>> results = runBehindABusyLeader(writes, connection -> insert(connection, "first", 1),
                List.of(Map.entry("good-1", connection -> insert(connection, "good-1", 1)),
                        Map.entry("taken", connection -> insert(connection, "taken", 2)),
                        Map.entry("good-2", connection -> insert(connection, "good-2", 1))));

        assertEquals(1, results.get(0).get(10, TimeUnit.SECONDS));
        assertEquals(1, results.get(1).get(10, TimeUnit.SECONDS));
        assertEquals(1, results.get(3).get(10, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> results.get(2).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof SQLException e && SqlStates.isIntegrityViolation(e),
                "the duplicate's caller hears of its own failure: " + failure.getCause());
        assertEquals(List.of("first", "good-1", "good-2", "taken"), ids());
        assertEquals(1, amountOf("taken"), "the failed write changed nothing");
    }

    @Test
    void aWriteThatThrowsAnUncheckedExceptionAlsoFailsAlone() throws Exception {
        GroupCommit writes = new GroupCommit(pool, 64, 1);

        List<Future<Integer>> results = runBehindABusyLeader(writes, connection -> insert(connection, "first", 1),
                List.of(Map.entry("good", connection -> insert(connection, "good", 1)),
                        Map.entry("broken", connection -> {
                            insert(connection, "broken", 1);
                            throw new IllegalStateException("a bug in this write");
                        })));

        assertEquals(1, results.get(0).get(10, TimeUnit.SECONDS));
        assertEquals(1, results.get(1).get(10, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> results.get(2).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());
        assertEquals(List.of("broken", "first", "good"), ids(),
                "run alone in auto-commit mode, the broken write's insert committed before it threw");
    }

    @Test
    void anErrorInABatchCommitsNoneOfItsWrites() throws Exception {
        GroupCommit writes = new GroupCommit(pool, 64, 1);

        List<Future<Integer>> results = runBehindABusyLeader(writes, connection -> insert(connection, "first", 1),
                List.of(Map.entry("a-before", connection -> insert(connection, "a-before", 1)),
                        Map.entry("b-error", connection -> {
                            throw new StackOverflowError("deep");
                        })));

        assertEquals(1, results.get(0).get(10, TimeUnit.SECONDS));
        for (Future<Integer> write : results.subList(1, results.size())) {
            Exception failure = assertThrows(Exception.class, () -> write.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof StackOverflowError, failure.toString());
        }
        assertEquals(List.of("first"), ids(), "the write before the error was rolled back, not committed");
    }

    @Test
    void anInterruptedCallerStillGetsItsWriteDoneAndKeepsItsInterrupt() throws Exception {
        GroupCommit writes = new GroupCommit(pool, 64, 1);

        Future<Boolean> interrupted = callers.submit(() -> {
            Thread.currentThread().interrupt();
            int inserted = writes.run("a", connection -> insert(connection, "a", 1));
            return inserted == 1 && Thread.interrupted();
        });

        assertTrue(interrupted.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("a"), ids());
    }

    @Test
    void everyWriterOfABatchHearsWhenItsCommitFails() throws Exception {
        Connection broken = mock(Connection.class);
        SQLException lost = new SQLException("connection reset", "08006");
        doThrow(lost).when(broken).commit();
        ConnectionPool brokenPool = new ConnectionPool(() -> broken, 1, Duration.ofSeconds(10));
        GroupCommit writes = new GroupCommit(brokenPool, 64, 1);
        AtomicInteger runs = new AtomicInteger();
        GroupCommit.Write<String> counted = connection -> {
            runs.incrementAndGet();
            return "ran";
        };

        List<Future<String>> results = runBehindABusyLeader(writes, connection -> "ran",
                List.of(Map.entry("a", counted), Map.entry("b", counted)));

        assertEquals("ran", results.get(0).get(10, TimeUnit.SECONDS));
        for (Future<String> write : results.subList(1, results.size())) {
            Exception failure = assertThrows(Exception.class, () -> write.get(10, TimeUnit.SECONDS));
            assertSame(lost, failure.getCause());
        }
        assertEquals(2, runs.get(), "a commit of unknown outcome is not run again");
    }

    @Test
    void writesCommittedTogetherShareOneForcingToDiskAndHearOfTheirCommitOnlyAfterIt() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        GroupCommit writes = new GroupCommit(pool, 64, 1, connection -> {
            events.add("forced " + ids().size() + " rows");
        });
        List<Map.Entry<String, GroupCommit.Write<Integer>>> queued = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            queued.add(Map.entry(id, connection -> insert(connection, id, 1)));
        }

        List<Future<Integer>> results = runBehindABusyLeader(writes, connection -> insert(connection, "first", 1),
                queued);
        for (Future<Integer> result : results) {
            assertEquals(1, result.get(10, TimeUnit.SECONDS));
        }

        assertEquals(List.of("forced 1 rows", "forced 4 rows"), events,
                "the lone first write is forced after its auto-commit, the three queued ones after their one commit");
    }

    @Test
    void aFailedForcingToDiskReachesEveryWriterOfItsCommitAsAnUnknownOutcome() throws Exception {
        SQLException diskFull = new SQLException("No space left on device", "HY000");
        AtomicInteger forcings = new AtomicInteger();
        GroupCommit writes = new GroupCommit(pool, 64, 1, connection -> {
            if (forcings.incrementAndGet() > 1) {
                throw diskFull;
            }
        });

        List<Future<Integer>> results = runBehindABusyLeader(writes, connection -> insert(connection, "first", 1),
                List.of(Map.entry("a", connection -> insert(connection, "a", 1)),
                        Map.entry("b", connection -> insert(connection, "b", 1))));

        assertEquals(1, results.get(0).get(10, TimeUnit.SECONDS));
        for (Future<Integer> write : results.subList(1, results.size())) {
            Exception failure = assertThrows(Exception.class, () -> write.get(10, TimeUnit.SECONDS));
            assertSame(diskFull, failure.getCause());
        }
        assertEquals(List.of("a", "b", "first"), ids(), "committed, though not known to be on the disk");
        assertEquals(2, forcings.get(), "a commit of unknown outcome is neither run nor forced again");
    }

    @Test
    void aWriteThatFailsIsNotForcedToDisk() throws SQLException {
        insert("taken");
        AtomicInteger forcings = new AtomicInteger();
        GroupCommit writes = new GroupCommit(pool, 64, 1, connection -> forcings.incrementAndGet());

        assertThrows(SQLException.class, () -> writes.run("taken", connection -> insert(connection, "taken", 2)));

        assertEquals(0, forcings.get());
    }

    @Test
    void manyConcurrentWritersEachGetTheirOwnResult() throws Exception {
        GroupCommit writes = new GroupCommit(pool, 8, 2);
        List<Future<Integer>> results = new ArrayList<>();
        for (int writer = 0; writer < 16; writer++) {
            int id = writer;
            results.add(callers.submit(() -> {
                int total = 0;
                for (int i = 0; i < 50; i++) {
                    String key = id + "-" + i;
                    total += writes.run(key, connection -> insert(connection, key, 1));
                    total += writes.run(key, connection -> {
                        PreparedStatement update = connection.prepare("UPDATE item SET amount = amount + 1 WHERE id = ?");
                        update.setString(1, key);
                        return update.executeUpdate();
                    });
                }
                return total;
            }));
        }
        for (Future<Integer> result : results) {
            assertEquals(100, result.get(60, TimeUnit.SECONDS));
        }
        assertEquals(800, ids().size());
        try (Statement statement = keepAlive.createStatement();
                ResultSet row = statement.executeQuery("SELECT MIN(amount), MAX(amount) FROM item")) {
            assertTrue(row.next());
            assertEquals(2, row.getInt(1));
            assertEquals(2, row.getInt(2));
        }
    }

    // ----------------------------------------------------------------------------------------------

    /**
     * Makes the first write's caller lead and hold the lead (its write waits), queues the other writes
     * behind it, then lets it go: the queued writes form the next batch. Results in the same order,
     * the first write's first.
     */
    private <T> List<Future<T>> runBehindABusyLeader(GroupCommit writes, GroupCommit.Write<T> first,
            List<Map.Entry<String, GroupCommit.Write<T>>> queued) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<Future<T>> results = new ArrayList<>();
        results.add(callers.submit(() -> writes.run("first", connection -> {
            await(release);
            return first.run(connection);
        })));
        waitUntilRunning(results.get(0));
        List<Thread> waiting = new ArrayList<>();
        for (Map.Entry<String, GroupCommit.Write<T>> write : queued) {
            results.add(callers.submit(recordingThread(waiting, () -> writes.run(write.getKey(), write.getValue()))));
        }
        waitUntilParked(waiting, queued.size());
        release.countDown();
        return results;
    }

    private static int insert(ConnectionPool.PooledConnection connection, String id, int amount) throws SQLException {
        PreparedStatement insert = connection.prepare("INSERT INTO item (id, amount) VALUES (?, ?)");
        insert.setString(1, id);
        insert.setInt(2, amount);
        return insert.executeUpdate();
    }

    private void insert(String id) throws SQLException {
        try (Statement statement = keepAlive.createStatement()) {
            statement.executeUpdate("INSERT INTO item (id, amount) VALUES ('" + id + "', 1)");
        }
    }

    private List<String> ids() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = keepAlive.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM item ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private int amountOf(String id) throws SQLException {
        try (Statement statement = keepAlive.createStatement();
                ResultSet row = statement.executeQuery("SELECT amount FROM item WHERE id = '" + id + "'")) {
            assertTrue(row.next());
            return row.getInt(1);
        }
    }

    private void await(CountDownLatch latch) {
        started.countDown();
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the first write runs (its caller leads, and blocks on its latch). */
    private void waitUntilRunning(Future<?> first) throws InterruptedException {
        assertTrue(started.await(10, TimeUnit.SECONDS), "the first write did not start");
        assertFalse(first.isDone());
    }

    private static <T> Callable<T> recordingThread(List<Thread> threads, Callable<T> work) {
        return () -> {
            synchronized (threads) {
                threads.add(Thread.currentThread());
            }
            return work.call();
        };
    }

    /** Waits until the writers are parked, their writes queued behind the busy leader. */
    private static void waitUntilParked(List<Thread> threads, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            synchronized (threads) {
                if (threads.size() == expected
                        && threads.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING)) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the writers did not queue up");
    }
}
