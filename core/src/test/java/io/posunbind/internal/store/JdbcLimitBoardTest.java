package io.posunbind.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.internal.limits.FleetShare;
import io.posunbind.internal.limits.ShareRow;
import io.posunbind.testing.MovableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The share table (schema V10) on H2, the embedded store's database, through the same SQL PostgreSQL runs:
 * two instances announce themselves, see each other, share a pause, and one leaves.
 */
class JdbcLimitBoardTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static int databases;

    private final MovableClock clock = new MovableClock(T0);
    private Connection keepAlive;
    private ConnectionPool pool;
    private JdbcLimitBoard board;

    @BeforeEach
    void createTheTable() throws SQLException {
        String url = "jdbc:h2:mem:limit-board-" + (++databases);
        keepAlive = DriverManager.getConnection(url);
        new SchemaMigrator(SqlDialect.H2, List.of(SchemaScript.fromResource(JdbcLimitBoard.class,
                "/io/posunbind/store/schema/h2", "V10__provider_limit_shares.sql")), Clock.systemUTC()).migrate(keepAlive);
        pool = new ConnectionPool(() -> DriverManager.getConnection(url), 2, Duration.ofSeconds(10));
        board = new JdbcLimitBoard(pool);
    }

    @AfterEach
    void close() throws SQLException {
        pool.close();
        keepAlive.close();
    }

    @Test
    void twoInstancesSeeEachOtherShareAPauseAndOneThatLeavesDropsOutASecondLater() {
        FleetShare a = new FleetShare(board, "acme", "instance-a", clock);
        FleetShare b = new FleetShare(board, "acme", "instance-b", clock);
        assertTrue(a.at(clock.instant()).holdUntil().isEmpty(), "alone: calls at once");
        assertEquals(T0.plus(FleetShare.EXPIRY), b.at(clock.instant()).holdUntil().orElseThrow(),
                "joins a live instance: waits until a has seen it");
        clock.advance(FleetShare.HEARTBEAT);
        assertEquals(List.of("instance-a", "instance-b"), a.at(clock.instant()).split().live());

        a.pause(T0.plusSeconds(30));
        clock.advance(FleetShare.HEARTBEAT);
        assertEquals(T0.plusSeconds(30), b.at(clock.instant()).split().pausedUntil(), "a's pause reaches b");

        board.leave("instance-a", clock.instant().minus(FleetShare.EXPIRY).plus(FleetShare.HEARTBEAT));
        clock.advance(FleetShare.HEARTBEAT);
        assertEquals(List.of("instance-b"), b.at(clock.instant()).split().live(), "a left: b alone");
    }

    @Test
    void aRowWhoseHeartbeatStoppedLongAgoAndWhosePausePassedIsForgotten() {
        board.beat("acme", "instance-gone", T0, T0.minusSeconds(600));
        Instant later = T0.plus(Duration.ofMinutes(11));
        List<ShareRow> seen = board.beat("acme", "instance-b", later, later.minus(Duration.ofMinutes(10)));
        assertEquals(2, seen.size(), "read before it is forgotten");
        List<ShareRow> next = board.beat("acme", "instance-b", later.plusSeconds(1), later.minus(Duration.ofMinutes(10)));
        assertEquals(List.of("instance-b"), next.stream().map(ShareRow::instanceId).toList());
    }
}
