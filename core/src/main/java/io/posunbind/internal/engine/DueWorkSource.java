package io.posunbind.internal.engine;

import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.CaseStore;
import io.posunbind.store.ClaimedCase;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where workers (and {@code runDueWork}) get the cases to run now: a batch claimed from the store with
 * {@link CaseStore#claimDue}, each case already leased to this instance, so instances never fetch the same
 * case and the runner neither reads nor leases it again. From the claim on, the {@link LeaseKeeper}'s
 * heartbeat keeps each case's lease alive, also while it waits for a free thread; whoever takes a case
 * from here ends with {@link #done} or, when it does not run it, {@link #giveBack}.
 *
 * <p>Thread-safe.
 */
final class DueWorkSource {

    private static final Logger LOG = LoggerFactory.getLogger(UnbindEngine.class);

    private final CaseStore store;
    private final LeaseKeeper leases;
    private final EngineSettings settings;
    private final Clock clock;
    private final ClaimCounters counters;
    /** Runs before each claim: this instance's heartbeat on the shares of provider limits. */
    private volatile Runnable beforeEachClaim = () -> { };

    DueWorkSource(CaseStore store, LeaseKeeper leases, EngineSettings settings, Clock clock, ClaimCounters counters) {
        this.store = store;
        this.leases = leases;
        this.settings = settings;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * Claims up to {@code limit} due cases, oldest wake time first.
     *
     * @param limit at least 1
     */
    List<ClaimedCase> claim(int limit) {
        beforeEachClaim.run();
        List<ClaimedCase> claimed = store.claimDue(settings.instanceId(), clock.instant(), settings.leaseDuration(),
                limit);
        int takenOver = 0;
        for (ClaimedCase claim : claimed) {
            leases.held(claim.record().caseId());
            if (claim.takenOverFrom().filter(previous -> !previous.equals(settings.instanceId())).isPresent()) {
                takenOver++;
            }
        }
        counters.claimed(claimed.size(), takenOver);
        return claimed;
    }

    /** Sets what runs before each claim. */
    void beforeEachClaim(Runnable task) {
        beforeEachClaim = task;
    }

    /** A claimed case has run (or failed): its heartbeat stops; the runner's last write gave its lease back. */
    void done(ClaimedCase claim) {
        leases.released(claim.record().caseId());
    }

    /**
     * Hands back the lease of a claimed case that will not run here (the worker closes, or another thread of
     * this instance has it), so it is due again at once for any worker instead of after the lease.
     */
    void giveBack(ClaimedCase claim) {
        CaseRecord record = claim.record();
        leases.released(record.caseId());
        try {
            store.reschedule(record.caseId(), record.version(), record.wakeAt(), Optional.empty(), Optional.empty());
        } catch (PosUnbindException e) {
            // Already written by its runner, or the store is away: the lease then simply expires.
            LOG.debug("Did not give back the claimed lease of case {}: {}", record.caseId(), e.errorCode().code());
        }
    }
}
