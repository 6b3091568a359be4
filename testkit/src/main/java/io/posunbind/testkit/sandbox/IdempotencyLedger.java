package io.posunbind.testkit.sandbox;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.SentOperation;
import io.posunbind.testkit.sandbox.FaultPlan.Fault;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sandbox remembers per idempotency key (the request's kind, parameters and outcome), which
 * lookups read, and the counts tests inspect: effects per key and per kind, and requests per kind. Not
 * thread-safe: {@link SandboxBackend} calls it under its lock.
 */
final class IdempotencyLedger {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBackend.class);

    private final Map<IdempotencyKey, OperationRecord> records = new HashMap<>();
    private final List<SandboxEffect> effects = new ArrayList<>();
    private final Map<IdempotencyKey, Integer> effectsByKey = new HashMap<>();
    private final Map<OperationKind, Integer> effectsByKind = new EnumMap<>(OperationKind.class);
    private final Map<OperationKind, Integer> callsByKind = new EnumMap<>(OperationKind.class);
    private boolean honoursKeys = true;

    private final Clock clock;
    private final WorldState world;
    private final FaultPlan faults;
    private final ReviewDesk desk;

    IdempotencyLedger(Clock clock, WorldState world, FaultPlan faults, ReviewDesk desk) {
        this.clock = clock;
        this.world = world;
        this.faults = faults;
        this.desk = desk;
    }

    boolean honoursKeys() {
        return honoursKeys;
    }

    void honourKeys(boolean honours) {
        honoursKeys = honours;
    }

    void countCall(OperationKind kind) {
        callsByKind.merge(kind, 1, Integer::sum);
    }

    /** The request remembered under a key, whether or not keys are honoured; empty when none is. */
    Optional<OperationRecord> recorded(IdempotencyKey key) {
        return Optional.ofNullable(records.get(key));
    }

    /** Remembers a request under its key, replacing an older one (which only happens when keys are not honoured). */
    void remember(OperationRecord record) {
        records.put(record.key, record);
    }

    /** Every request remembered, for a persistent sandbox to write down. */
    List<OperationRecord> remembered() {
        return List.copyOf(records.values());
    }

    void forgetRequests() {
        records.clear();
    }

    void countEffect(OperationRecord record) {
        // Every accepted operation carries a reference; the fallback only guards an adapter bug.
        String reference = record.providerReference.orElse("SBX-UNREFERENCED");
        effects.add(new SandboxEffect(record.key, record.kind, reference, record.acceptedAt));
        effectsByKey.merge(record.key, 1, Integer::sum);
        effectsByKind.merge(record.kind, 1, Integer::sum);
    }

    /** Counts an effect read back from a persistent sandbox's file. */
    void restoreEffect(SandboxEffect effect) {
        effects.add(effect);
        effectsByKey.merge(effect.idempotencyKey(), 1, Integer::sum);
        effectsByKind.merge(effect.kind(), 1, Integer::sum);
    }

    int effectCount(IdempotencyKey key) {
        return effectsByKey.getOrDefault(key, 0);
    }

    int effectsFor(OperationKind kind) {
        return effectsByKind.getOrDefault(kind, 0);
    }

    List<SandboxEffect> effects() {
        return List.copyOf(effects);
    }

    int callsFor(OperationKind kind) {
        return callsByKind.getOrDefault(kind, 0);
    }

    /**
     * Runs one mutating request under the backend's lock: fault injection, idempotency, the merchants'
     * verification, the adapter's guards and effect, and the counts; see {@link SandboxBackend#execute}.
     */
    OperationOutcome execute(OperationContext context, OperationKind expectedKind, List<Object> parameters,
            Supplier<List<String>> actingFor, AdapterGateway.Operation operation) {
        IdempotencyKey key = context.idempotencyKey();
        desk.completeDue();
        countCall(expectedKind);
        if (context.kind() != expectedKind) {
            return SandboxAnswers.answer(context, SandboxAnswers.rejected(StandardErrorCode.INVALID_REQUEST, "SBX-KIND-MISMATCH",
                    "A " + context.kind() + " context was sent to the " + expectedKind + " operation"));
        }
        Optional<Fault> fault = faults.takeNext(expectedKind);
        if (fault.equals(Optional.of(Fault.TRANSIENT))) {
            return SandboxAnswers.answer(context, OperationOutcome.retryable(SandboxAnswers.UNAVAILABLE_CODE,
                    "sandbox: service temporarily unavailable", Duration.ofSeconds(1)));
        }
        if (fault.equals(Optional.of(Fault.LOST))) {
            return SandboxAnswers.answer(context, OperationOutcome.unknown("connection reset before the request was sent"
                    + " (sandbox)"));
        }
        List<Object> fingerprint = new ArrayList<>();
        fingerprint.add(context.caseId());
        fingerprint.addAll(parameters);
        OperationOutcome outcome;
        Optional<OperationRecord> existing = recorded(key);
        if (existing.isPresent() && honoursKeys) {
            OperationRecord first = existing.get();
            outcome = first.sameRequest(expectedKind, fingerprint)
                    ? first.outcome
                    : keyReused(key, first.kind);
        } else {
            OperationRecord record = new OperationRecord(key, expectedKind, List.copyOf(fingerprint),
                    clock.instant());
            Optional<OperationOutcome.Rejected> unverified = world.verificationRefusal(record, actingFor.get());
            outcome = unverified.isPresent() ? unverified.get() : operation.perform(record);
            record.outcome = outcome;
            boolean retryableRefusal = outcome instanceof OperationOutcome.Rejected rejected
                    && rejected.code().retryable();
            // Like a refusal before the endpoint runs at Stripe, a missing verification is not remembered:
            // once the merchant has answered a challenge, the same key goes through.
            if (!retryableRefusal && unverified.isEmpty()) {
                remember(record);
            }
            if (!(outcome instanceof OperationOutcome.Rejected)) {
                record.authorisations.forEach(challenge -> challenge.spend(key));
                countEffect(record);
            }
        }
        if (fault.equals(Optional.of(Fault.TIMEOUT))) {
            SandboxAnswers.answer(context, outcome);
            return OperationOutcome.unknown("read timed out after 30 s (sandbox)");
        }
        if (fault.equals(Optional.of(Fault.TIMEOUT_EXCEPTION))) {
            SandboxAnswers.answer(context, outcome);
            throw new UncheckedIOException("sandbox: no answer to " + expectedKind,
                    new SocketTimeoutException("Read timed out after 30 s (sandbox)"));
        }
        return SandboxAnswers.answer(context, outcome);
    }

    /** Answers a lookup: the remembered outcome (current for a pending one), empty when never received. */
    Optional<OperationOutcome> lookup(SentOperation reference) {
        desk.completeDue();
        if (faults.takeLookupFault()) {
            throw SandboxAnswers.unavailable("lookup");
        }
        Optional<OperationRecord> found = recorded(reference.idempotencyKey());
        if (found.isEmpty()) {
            LOG.debug("sandbox lookup {} {}: never received", reference.kind(), reference.idempotencyKey());
            return Optional.empty();
        }
        OperationRecord record = found.get();
        if (record.kind != reference.kind()) {
            return Optional.of(keyReused(reference.idempotencyKey(), record.kind));
        }
        if (record.pending()) {
            desk.poll(record);
        }
        LOG.debug("sandbox lookup {} {}: {}", reference.kind(), reference.idempotencyKey(),
                SandboxAnswers.describe(record.outcome));
        return Optional.of(record.outcome);
    }


    static OperationOutcome.Rejected keyReused(IdempotencyKey key, OperationKind firstKind) {
        return SandboxAnswers.rejected(StandardErrorCode.IDEMPOTENCY_KEY_REUSED, "SBX-IDEMPOTENCY-REUSED",
                "Idempotency key " + key + " was first used for a " + firstKind
                        + " request with other parameters; use a new key for a new request");
    }
}
