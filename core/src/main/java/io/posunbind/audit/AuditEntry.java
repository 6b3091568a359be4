package io.posunbind.audit;

import io.posunbind.Actor;
import io.posunbind.internal.audit.AuditFields;
import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.spi.API;
import java.util.Objects;

/**
 * A draft audit record: what happened, before {@link AuditTrail#append} gives it a sequence number, a
 * time and its place in the hash chain.
 *
 * <p><b>Never put a clear card, account, identity or phone number in any field.</b> Pass masked values (the
 * SDK's {@code CardNumber}, {@code AccountNumber}, {@code IdentityNumber} and {@code PhoneNumber} mask
 * themselves in {@code toString()}). As a last line of defence the detail is scrubbed when the draft is
 * built: runs of 12 or more digits keep only their last four, 17 digits followed by {@code X} are masked,
 * 11-digit mobile numbers keep their first three and last four, control characters become spaces, and
 * the detail is cut to 1,000 characters. The scrubbed detail is what gets hashed and stored.
 *
 * <p>Limits: actor id and origin 1 to 128 characters, actor role 1 to 64, resource fields up to 255, no
 * control characters except in the detail; the event type is a code such as {@code CASE_OPENED}
 * ({@code [A-Z][A-Z0-9_]*}, at most 64). Immutable.
 *
 * <pre>{@code
 * trail.append(AuditEntry.builder()
 *         .actor(Actor.operator("operator:li.na"))
 *         .eventType(AuditEventTypes.CASE_OPENED)
 *         .outcome(AuditOutcome.SUCCESS)
 *         .origin("api")
 *         .resource(AffectedResource.of(caseId, "0820000001", "898310058120001"))
 *         .detail("reason PAYMENT_SYSTEM_CHANGE, settlement account " + account.masked())
 *         .build());
 * }</pre>
 *
 * @param actorId   who acted, a stable id in the caller's identity system, or {@code "posunbind"} for the engine
 * @param actorRole in which role: {@code "merchant"}, {@code "operator"}, {@code "system"}, {@code "provider"}…
 * @param eventType what kind of event, see {@link AuditEventTypes}
 * @param outcome   whether it succeeded
 * @param origin    where it came from: {@code "engine"}, {@code "api"}, {@code "callback:<provider>"}…
 * @param resource  what it touched
 * @param detail    a short description for people, masked; scrubbed as said above
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record AuditEntry(String actorId, String actorRole, String eventType, AuditOutcome outcome, String origin,
        AffectedResource resource, String detail) {

    /** Longest actor id and origin. */
    public static final int MAX_ID_LENGTH = 128;
    /** Longest actor role. */
    public static final int MAX_ROLE_LENGTH = 64;
    /** Longest case id, terminal serial or merchant number. */
    public static final int MAX_RESOURCE_LENGTH = 255;
    /** Longest detail, after scrubbing; longer details are cut. */
    public static final int MAX_DETAIL_LENGTH = DetailScrubber.MAX_LENGTH;

    /** Checks the fields and scrubs the detail. */
    public AuditEntry {
        AuditFields.required(actorId, "actorId", MAX_ID_LENGTH);
        AuditFields.required(actorRole, "actorRole", MAX_ROLE_LENGTH);
        AuditFields.eventType(eventType);
        Objects.requireNonNull(outcome, "outcome");
        AuditFields.required(origin, "origin", MAX_ID_LENGTH);
        Objects.requireNonNull(resource, "resource");
        AuditFields.optional(resource.caseId(), "resource.caseId", MAX_RESOURCE_LENGTH);
        AuditFields.optional(resource.terminalSerial(), "resource.terminalSerial", MAX_RESOURCE_LENGTH);
        AuditFields.optional(resource.merchantNumber(), "resource.merchantNumber", MAX_RESOURCE_LENGTH);
        detail = DetailScrubber.scrub(Objects.requireNonNull(detail, "detail"));
    }

    /** A draft whose actor is given as the engine's {@link Actor}. */
    public static AuditEntry of(Actor actor, String eventType, AuditOutcome outcome, String origin,
            AffectedResource resource, String detail) {
        Objects.requireNonNull(actor, "actor");
        return new AuditEntry(actor.id(), actor.role(), eventType, outcome, origin, resource, detail);
    }

    /** A builder; actor, event type, outcome and origin are required, resource and detail default to empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AuditEntry}. Not thread-safe; build() may be called more than once. */
    public static final class Builder {

        private String actorId;
        private String actorRole;
        private String eventType;
        private AuditOutcome outcome;
        private String origin;
        private AffectedResource resource = AffectedResource.none();
        private String detail = "";

        private Builder() {
        }

        /** Who acted. */
        public Builder actor(Actor actor) {
            Objects.requireNonNull(actor, "actor");
            return actor(actor.id(), actor.role());
        }

        /** Who acted, by id and role. */
        public Builder actor(String id, String role) {
            this.actorId = Objects.requireNonNull(id, "id");
            this.actorRole = Objects.requireNonNull(role, "role");
            return this;
        }

        /** The event type code, see {@link AuditEventTypes}. */
        public Builder eventType(String eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType");
            return this;
        }

        /** The outcome. */
        public Builder outcome(AuditOutcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** Where the event came from. */
        public Builder origin(String origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /** What the event touched. */
        public Builder resource(AffectedResource resource) {
            this.resource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /** A short, masked description for people. */
        public Builder detail(String detail) {
            this.detail = Objects.requireNonNull(detail, "detail");
            return this;
        }

        /**
         * Builds the draft.
         *
         * @throws NullPointerException     when actor, event type, outcome or origin was not set
         * @throws IllegalArgumentException when a field breaks the limits above
         */
        public AuditEntry build() {
            Objects.requireNonNull(actorId, "actor must be set");
            Objects.requireNonNull(eventType, "eventType must be set");
            Objects.requireNonNull(outcome, "outcome must be set");
            Objects.requireNonNull(origin, "origin must be set");
            return new AuditEntry(actorId, actorRole, eventType, outcome, origin, resource, detail);
        }
    }
}
