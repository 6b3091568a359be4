package io.posunbind.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.internal.limits.FleetShare;
import io.posunbind.internal.limits.LimitScope;
import io.posunbind.internal.limits.ShareRow;
import io.posunbind.spi.OperationKind;
import io.posunbind.testing.MovableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The share table (schema V10, keyed by operation since V11) on H2, the embedded store's database, through the
 * same SQL PostgreSQL runs: two instances announce themselves, see each other, share a pause, and one leaves;
 * an operation's limit has rows of its own.
 */
class JdbcLimitBoardTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final LimitScope ACME = LimitScope.wholeProvider("acme");
    private static final LimitScope ACME_ACCOUNT_CHANGE = LimitScope.operation("acme",
            OperationKind.UNBIND_SETTLEMENT_ACCOUNT);
    private static int databases;

    private final MovableClock clock = new MovableClock(T0);
    private Connection keepAlive;
    private ConnectionPool pool;
    private JdbcLimitBoard board;

    @BeforeEach
    void createTheTable() throws SQLException {
        String url = "jdbc:h2:mem:limit-board-" + (++databases);
        keepAlive = DriverManager.getConnection(url);
        migrate("V10__provider_limit_shares.sql");
        // A heartbeat written under version 10, before the upgrade.
        try (PreparedStatement insert = keepAlive.prepareStatement("INSERT INTO posunbind_provider_share (provider_id, instance_id,"
                + " heartbeat_at, paused_until) VALUES ('acme', 'instance-old', 1, 0)")) {
            insert.executeUpdate();
        }
        migrate("V10__provider_limit_shares.sql", "V11__operation_limit_shares.sql");
        pool = new ConnectionPool(() -> DriverManager.getConnection(url), 2, Duration.ofSeconds(10));
        board = new JdbcLimitBoard(pool);
    }

    private void migrate(String... scripts) throws SQLException {
        List<SchemaScript> known = Arrays.stream(scripts).map(name -> SchemaScript.fromResource(
                JdbcLimitBoard.class, "/io/posunbind/store/schema/h2", name)).toList();
        new SchemaMigrator(SqlDialect.H2, known, Clock.systemUTC()).migrate(keepAlive);
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
        board.beat(ACME, "instance-gone", T0, T0.minusSeconds(600));
        Instant later = T0.plus(Duration.ofMinutes(11));
        List<ShareRow> seen = board.beat(ACME, "instance-b", later, later.minus(Duration.ofMinutes(10)));
        assertEquals(2, seen.size(), "read before it is forgotten");
        List<ShareRow> next = board.beat(ACME, "instance-b", later.plusSeconds(1), later.minus(Duration.ofMinutes(10)));
        assertEquals(List.of("instance-b"), next.stream().map(ShareRow::instanceId).toList());
    }

    @Test
    void anOperationsLimitIsSharedAmongTheInstancesThatPerformItWithItsOwnRowsAndPauses() {
        board.beat(ACME, "instance-a", T0, T0.minusSeconds(600));
        board.beat(ACME, "instance-b", T0, T0.minusSeconds(600));
        // Only b changes accounts: the change's limit is b's alone, the provider's is split in two.
        List<ShareRow> change = board.beat(ACME_ACCOUNT_CHANGE, "instance-b", T0, T0.minusSeconds(600));
        assertEquals(List.of("instance-b"), change.stream().map(ShareRow::instanceId).toList());

        board.pause(ACME_ACCOUNT_CHANGE, "instance-b", T0.plusSeconds(60), T0);
        assertEquals(List.of(T0.plusSeconds(60)), board.beat(ACME_ACCOUNT_CHANGE, "instance-b", T0, T0.minusSeconds(600))
                .stream().map(ShareRow::pausedUntil).toList(), "the change is paused");
        List<ShareRow> wholeProvider = board.beat(ACME, "instance-a", T0, T0.minusSeconds(600));
        assertEquals(List.of(Instant.EPOCH, Instant.EPOCH), wholeProvider.stream().map(ShareRow::pausedUntil).toList(),
                "the provider is not paused");
        assertEquals(List.of("instance-a", "instance-b"), wholeProvider.stream().map(ShareRow::instanceId).toList(),
                "H2's version 11 made the table anew: the heartbeat written under version 10 is gone, renewed within"
                        + " a second by a live instance");
    }
}
