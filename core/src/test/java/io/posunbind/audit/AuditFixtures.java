package io.posunbind.audit;

import io.posunbind.Actor;
import java.util.List;
import java.util.Random;

/** Drafts for tests: a few merchants' cases, with actors, events and masked details. */
final class AuditFixtures {

    static final List<String> CASES = List.of("case-alpha", "case-bravo", "case-charlie", "case-delta");
    private static final List<String> EVENTS = List.of(AuditEventTypes.CASE_OPENED, AuditEventTypes.STEP_STARTED,
            AuditEventTypes.STEP_DONE, AuditEventTypes.PROVIDER_CALL, AuditEventTypes.CASE_WAITING,
            AuditEventTypes.CALLBACK_REJECTED);
    private static final List<Actor> ACTORS = List.of(Actor.system(), Actor.operator("operator:li.na"),
            Actor.merchant("merchant:zhang.wei"), new Actor("acme-callback", "provider"));
    private static final List<String> ORIGINS = List.of("engine", "api", "callback:acme");

    private AuditFixtures() {
    }

    /** A draft about a case. */
    static AuditEntry entry(String caseId, int n) {
        return AuditEntry.builder()
                .actor(ACTORS.get(n % ACTORS.size()))
                .eventType(EVENTS.get(n % EVENTS.size()))
                .outcome(n % 7 == 0 ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS)
                .origin(ORIGINS.get(n % ORIGINS.size()))
                .resource(AffectedResource.of(caseId, "08200000" + (10 + CASES.indexOf(caseId)), "8983100581200"
                        + (10 + CASES.indexOf(caseId))))
                .detail("event " + n + " on " + caseId + ", settlement account 6222********7890")
                .build();
    }

    /** A draft about a random case of {@link #CASES}. */
    static AuditEntry randomEntry(Random random, int n) {
        return entry(CASES.get(random.nextInt(CASES.size())), n);
    }
}
