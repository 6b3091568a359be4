package io.posunbind.micrometer;

/** The names of posunbind's meters, observations and tags, in one place (the module README lists them). */
final class MeterNames {

    static final String STEP_OBSERVATION = "posunbind.step";
    static final String CALL_OBSERVATION = "posunbind.provider.call";
    static final String STEP_DURATION = "posunbind.step.duration";
    static final String CALL_DURATION = "posunbind.provider.call.duration";
    static final String RETRIES = "posunbind.retries";
    static final String DEAD_LETTERS = "posunbind.dead.letters";
    static final String CLAIM_SIZE = "posunbind.claim.size";

    static final String CASES = "posunbind.cases";
    static final String CASES_WAITING = "posunbind.cases.waiting";
    static final String CASES_DEAD_LETTERED = "posunbind.cases.dead.lettered";
    static final String WORKER_LAG = "posunbind.worker.lag";
    static final String CLAIMS = "posunbind.claims";
    static final String CLAIMED_CASES = "posunbind.claims.cases";
    static final String TAKEOVERS = "posunbind.claims.takeovers";
    static final String HEARTBEATS = "posunbind.lease.heartbeats";
    static final String LIMIT_PERMITTED = "posunbind.provider.limit.permitted";
    static final String LIMIT_DEFERRED = "posunbind.provider.limit.deferred";
    static final String LIMIT_PAUSES = "posunbind.provider.limit.pauses";

    static final String PROVIDER = "provider";
    static final String STEP = "step";
    static final String OPERATION = "operation";
    static final String OUTCOME = "outcome";
    static final String CODE = "code";
    static final String STATE = "state";
    static final String REASON = "reason";
    static final String CASE_ID = "posunbind.case.id";
    /** The tag value of a code or step that is absent. */
    static final String ABSENT = "none";

    private MeterNames() {
    }
}
