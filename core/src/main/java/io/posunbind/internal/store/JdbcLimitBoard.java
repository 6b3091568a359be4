package io.posunbind.internal.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.limits.LimitBoard;
import io.posunbind.internal.limits.LimitScope;
import io.posunbind.internal.limits.ShareRow;
import io.posunbind.spi.PosUnbindException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link LimitBoard} in the case store's database: table {@code posunbind_provider_share} (schema V10; its
 * {@code operation} column since V11), one row per provider, limited operation ({@code ''} for the
 * provider-wide limits, as every row of V10 was) and instance, each instance writing only its own rows, so heartbeats of different
 * instances never wait on each other. A heartbeat is one update (an insert the first time) and one read of
 * the provider's few rows, in auto-commit; a stale row is deleted only when a read finds one. The same SQL
 * runs on H2 and PostgreSQL. Thread-safe.
 */
public final class JdbcLimitBoard implements LimitBoard {

    private static final String RENEW = "UPDATE posunbind_provider_share SET heartbeat_at = ?"
            + " WHERE provider_id = ? AND operation = ? AND instance_id = ?";
    private static final String JOIN = "INSERT INTO posunbind_provider_share (provider_id, operation, instance_id,"
            + " heartbeat_at, paused_until) VALUES (?, ?, ?, ?, 0)";
    private static final String READ = "SELECT instance_id, heartbeat_at, paused_until FROM posunbind_provider_share"
            + " WHERE provider_id = ? AND operation = ?";
    private static final String FORGET = "DELETE FROM posunbind_provider_share WHERE provider_id = ? AND operation = ?"
            + " AND heartbeat_at < ? AND paused_until < ?";
    private static final String PAUSE = "UPDATE posunbind_provider_share SET paused_until = ?"
            + " WHERE provider_id = ? AND operation = ? AND instance_id = ? AND paused_until < ?";
    private static final String LEAVE = "UPDATE posunbind_provider_share SET heartbeat_at = ?"
            + " WHERE instance_id = ? AND heartbeat_at > ?";

    private final ConnectionPool pool;

    /** A board on the pool's database, whose schema must be at version 11 or later. */
    public JdbcLimitBoard(ConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public List<ShareRow> beat(LimitScope scope, String instanceId, Instant now, Instant forgetBefore) {
        try {
            return pool.runWriting(connection -> {
                upsert(connection, scope, instanceId, now.toEpochMilli());
                PreparedStatement read = connection.prepare(READ);
                read.setString(1, scope.providerId());
                read.setString(2, scope.boardKey());
                List<ShareRow> rows = new ArrayList<>();
                boolean stale = false;
                try (ResultSet row = read.executeQuery()) {
                    while (row.next()) {
                        ShareRow seen = new ShareRow(row.getString(1), Instant.ofEpochMilli(row.getLong(2)),
                                Instant.ofEpochMilli(row.getLong(3)));
                        stale |= seen.heartbeatAt().isBefore(forgetBefore) && seen.pausedUntil().isBefore(now);
                        rows.add(seen);
                    }
                }
                if (stale) {
                    PreparedStatement forget = connection.prepare(FORGET);
                    forget.setString(1, scope.providerId());
                    forget.setString(2, scope.boardKey());
                    forget.setLong(3, forgetBefore.toEpochMilli());
                    forget.setLong(4, now.toEpochMilli());
                    forget.executeUpdate();
                }
                return List.copyOf(rows);
            });
        } catch (SQLException e) {
            throw unavailable("renew this instance's share of the limits of " + scope, e);
        }
    }

    @Override
    public void pause(LimitScope scope, String instanceId, Instant until, Instant now) {
        try {
            pool.runWriting(connection -> {
                upsert(connection, scope, instanceId, now.toEpochMilli());
                PreparedStatement pause = connection.prepare(PAUSE);
                pause.setLong(1, until.toEpochMilli());
                pause.setString(2, scope.providerId());
                pause.setString(3, scope.boardKey());
                pause.setString(4, instanceId);
                pause.setLong(5, until.toEpochMilli());
                return pause.executeUpdate();
            });
        } catch (SQLException e) {
            throw unavailable("record the pause of " + scope, e);
        }
    }

    @Override
    public void leave(String instanceId, Instant heartbeatAt) {
        try {
            pool.runWriting(connection -> {
                PreparedStatement leave = connection.prepare(LEAVE);
                leave.setLong(1, heartbeatAt.toEpochMilli());
                leave.setString(2, instanceId);
                leave.setLong(3, heartbeatAt.toEpochMilli());
                return leave.executeUpdate();
            });
        } catch (SQLException e) {
            throw unavailable("give this instance's shares of provider limits back", e);
        }
    }

    /** Renews the instance's row, or creates it: only this instance writes it, so nobody else inserts it meanwhile. */
    private static void upsert(ConnectionPool.PooledConnection connection, LimitScope scope, String instanceId,
            long now) throws SQLException {
        PreparedStatement renew = connection.prepare(RENEW);
        renew.setLong(1, now);
        renew.setString(2, scope.providerId());
        renew.setString(3, scope.boardKey());
        renew.setString(4, instanceId);
        if (renew.executeUpdate() == 0) {
            PreparedStatement join = connection.prepare(JOIN);
            join.setString(1, scope.providerId());
            join.setString(2, scope.boardKey());
            join.setString(3, instanceId);
            join.setLong(4, now);
            join.executeUpdate();
        }
    }

    private static PosUnbindException unavailable(String what, SQLException e) {
        return new PosUnbindException(CoreErrorCode.STORE_UNAVAILABLE, "Could not " + what + " (SQLSTATE "
                + e.getSQLState() + ")", null, e);
    }

    @Override
    public String toString() {
        return "JdbcLimitBoard";
    }
}
