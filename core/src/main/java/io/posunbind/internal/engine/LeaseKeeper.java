package io.posunbind.internal.engine;

import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of the cases this instance works on alive while a step takes long (a slow provider
 * call): a heartbeat extends them every third of the lease duration without changing the cases'
 * versions. A lease that another instance took over cannot be renewed; this instance's next write to
 * that case then fails on the version, so it never overwrites the new owner's work.
 *
 * <p>Thread-safe. The heartbeat thread starts with the first lease and stops on {@link #close()}.
 */
final class LeaseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    /** A renewal in progress is one short database write; this bounds the wait for it at shutdown. */
    private static final Duration HEARTBEAT_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final CaseStore store;
    private final Clock clock;
    private final String owner;
    private final Duration leaseDuration;
    private final ClaimCounters counters;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService heartbeat;
    private boolean closed;

    LeaseKeeper(CaseStore store, Clock clock, String owner, Duration leaseDuration) {
        this(store, clock, owner, leaseDuration, new ClaimCounters());
    }

    LeaseKeeper(CaseStore store, Clock clock, String owner, Duration leaseDuration, ClaimCounters counters) {
        this.store = store;
        this.counters = counters;
        this.clock = clock;
        this.owner = owner;
        this.leaseDuration = leaseDuration;
    }

    void held(String caseId) {
        held.add(caseId);
        startHeartbeat();
    }

    void released(String caseId) {
        held.remove(caseId);
    }

    private synchronized void startHeartbeat() {
        if (heartbeat != null || closed) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "posunbind-lease-heartbeat-" + owner);
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, leaseDuration.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
    }

    /** Renews every held lease once now: what the heartbeat does every third of the lease duration. */
    void renewAll() {
        for (String caseId : held) {
            try {
                if (store.renewLease(caseId, owner, clock.instant().plus(leaseDuration))) {
                    counters.heartbeat();
                } else {
                    checkLost(caseId);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lease of case {}: {}", caseId, e.toString());
            }
        }
    }

    /**
     * Stops renewing a case that is gone or no longer leased to this instance. A renewal also fails
     * when this instance's own last write gave the lease back a moment before the case left
     * {@link #held}: that is no takeover, and is not reported as one.
     */
    private void checkLost(String caseId) {
        Optional<String> current = store.load(caseId).flatMap(CaseRecord::leaseOwner);
        if (current.filter(other -> !other.equals(owner)).isPresent()) {
            LOG.warn("Lost the lease of case {}; another instance took it over", caseId);
        }
        if (current.filter(owner::equals).isEmpty()) {
            held.remove(caseId);
        }
    }

    /** Stops the heartbeat and waits (briefly) for its thread to end, so none outlives its class loader. */
    synchronized void close() {
        closed = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                if (!heartbeat.awaitTermination(HEARTBEAT_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("The lease heartbeat of {} did not stop within {}", owner, HEARTBEAT_STOP_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeat = null;
        }
    }
}
