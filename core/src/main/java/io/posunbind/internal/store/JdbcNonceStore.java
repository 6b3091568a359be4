package io.posunbind.internal.store;

import io.posunbind.CoreErrorCode;
import io.posunbind.callback.NonceStore;
import io.posunbind.spi.PosUnbindException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NonceStore} in the case store's database (table {@code posunbind_callback_nonce}, schema
 * version 5), shared by every instance on it: a callback one instance acted on is a replay for all.
 * A nonce is new when its row can be inserted, or when its row exists but expired (it is then renewed
 * in the same statement, so of two instances racing for an expired nonce one wins). Expired rows are
 * deleted now and then, at most once per {@link #PURGE_INTERVAL} of the callers' clock.
 *
 * <p>A nonce is marked used durably before the call returns, whatever the database's defaults: the pool's
 * connections come from {@link DurableCommits}, so a crash of PostgreSQL cannot forget an accepted nonce
 * and let its replay through.
 *
 * <p>Thread-safe. Failures are {@link PosUnbindException}s with the retryable
 * {@link CoreErrorCode#CALLBACK_REPLAY_CHECK_UNAVAILABLE}: the verifier then refuses the callback, and the
 * provider sends it again later.
 */
public final class JdbcNonceStore implements NonceStore {

    /** How often, at most, expired nonces are deleted. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private static final String INSERT = "INSERT INTO posunbind_callback_nonce (provider_id, nonce, expires_at)"
            + " VALUES (?, ?, ?)";
    private static final String RENEW_EXPIRED = "UPDATE posunbind_callback_nonce SET expires_at = ?"
            + " WHERE provider_id = ? AND nonce = ? AND expires_at < ?";
    private static final String IS_USED = "SELECT 1 FROM posunbind_callback_nonce"
            + " WHERE provider_id = ? AND nonce = ? AND expires_at >= ?";
    private static final String PURGE = "DELETE FROM posunbind_callback_nonce WHERE expires_at < ?";

    private final ConnectionPool pool;
    private final AtomicLong lastPurge = new AtomicLong(Long.MIN_VALUE);

    /** A nonce store on the pool's database, whose schema must be at version 5 or later. */
    public JdbcNonceStore(ConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public boolean isUsed(String providerId, String nonce, Instant now) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(nonce, "nonce");
        long current = now.toEpochMilli();
        try {
            return pool.run(connection -> {
                PreparedStatement select = connection.prepare(IS_USED);
                select.setString(1, providerId);
                select.setString(2, nonce);
                select.setLong(3, current);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean markUsed(String providerId, String nonce, Instant expiresAt, Instant now) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(nonce, "nonce");
        long expires = expiresAt.toEpochMilli();
        long current = now.toEpochMilli();
        try {
            purgeNowAndThen(current);
            return pool.runWriting(connection -> {
                PreparedStatement insert = connection.prepare(INSERT);
                insert.setString(1, providerId);
                insert.setString(2, nonce);
                insert.setLong(3, expires);
                try {
                    return insert.executeUpdate() == 1;
                } catch (SQLException e) {
                    if (!SqlStates.isIntegrityViolation(e)) {
                        throw e;
                    }
                }
                // Seen before: new again only if that sighting expired (kept up to and including expires_at).
                PreparedStatement renew = connection.prepare(RENEW_EXPIRED);
                renew.setLong(1, expires);
                renew.setString(2, providerId);
                renew.setString(3, nonce);
                renew.setLong(4, current);
                return renew.executeUpdate() == 1;
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static PosUnbindException unavailable(SQLException e) {
        return new PosUnbindException(CoreErrorCode.CALLBACK_REPLAY_CHECK_UNAVAILABLE, "Could not check the callback's"
                + " nonce against the database (SQLSTATE " + e.getSQLState() + "); send the callback again later",
                null, e);
    }

    private void purgeNowAndThen(long now) throws SQLException {
        long last = lastPurge.get();
        if (last != Long.MIN_VALUE && now - last < PURGE_INTERVAL.toMillis()) {
            return;
        }
        if (!lastPurge.compareAndSet(last, now)) {
            return; // another thread purges
        }
        pool.runWriting(connection -> {
            PreparedStatement purge = connection.prepare(PURGE);
            purge.setLong(1, now);
            return purge.executeUpdate();
        });
    }

    @Override
    public String toString() {
        return "JdbcNonceStore";
    }
}
