package io.posunbind.internal.engine;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CoreErrorCode;
import io.posunbind.HistoryEntry;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitPolicy;
import io.posunbind.internal.plan.PlannedStep;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The open command: checks what the provider can do, plans the case, inserts it under the caller's id
 * (idempotently: the same request under the same id returns the case as it stands) and runs it.
 * Thread-safe.
 */
final class CaseOpening {

    private final ProviderRegistry providers;
    private final EngineSettings settings;
    private final Planner planner;
    private final CaseBook book;
    private final CaseRunner runner;
    private final EngineAudit audit;
    private final ShutdownGate gate;
    private final LocalLeases local;
    private final DueSignal dueSignal;
    private final Clock clock;

    CaseOpening(ProviderRegistry providers, EngineSettings settings, Planner planner, CaseBook book,
            CaseRunner runner, EngineAudit audit, ShutdownGate gate, LocalLeases local, DueSignal dueSignal,
            Clock clock) {
        this.providers = providers;
        this.settings = settings;
        this.planner = planner;
        this.book = book;
        this.runner = runner;
        this.audit = audit;
        this.gate = gate;
        this.local = local;
        this.dueSignal = dueSignal;
        this.clock = clock;
    }

    /**
     * Opens a case under the caller's id and advances it. Idempotent: opening the same id with the same
     * request again returns the case as it stands, so a caller may retry after a timeout.
     */
    CaseSnapshot open(CaseId caseId, UnbindRequest request, WaitPolicy wait) {
        Objects.requireNonNull(wait, "wait");
        CaseSnapshot opened;
        gate.enter();
        try {
            opened = openEntered(caseId, request, wait.runsInline());
        } finally {
            gate.exit();
        }
        return wait.kind() == WaitPolicy.Kind.UP_TO ? runner.awaitSettled(opened, wait.timeout()) : opened;
    }

    private CaseSnapshot openEntered(CaseId caseId, UnbindRequest request, boolean inline) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(request, "request");
        PaymentProvider provider = providers.require(request.providerId());
        ProviderDeclarations declared = ProviderDeclarations.read(provider, settings.documentChecklist());
        List<RuleViolation> missing = capabilityProblems(request, declared);
        if (!missing.isEmpty()) {
            throw new InvalidRequestException(CoreErrorCode.CAPABILITY_MISSING,
                    "Provider " + provider.id() + " cannot carry out this request", missing);
        }
        // No look before the insert: the store refuses a taken id and a second open case for the
        // terminal atomically, and the refusal below tells the two apart. Two reads fewer per case.
        Instant now = clock.instant();
        CaseDocument document = new CaseDocument();
        document.id = caseId.value();
        document.version = 1;
        document.request = request;
        document.documents = new ArrayList<>(request.documents());
        document.checklist = declared.checklist();
        document.createdAt = now;
        document.updatedAt = now;
        document.history.add(new HistoryEntry(now, request.requestedBy().id(), "CASE_OPENED",
                "reason " + request.reason() + ", scope " + request.scope()
                        + request.replacement().map(r -> ", replacement " + r.serialNumber()).orElse("")));
        for (PlannedStep planned : planFor(request, declared)) {
            document.steps.add(SkippedSteps.record(document, planned, now));
        }
        // Run here only when this thread holds the case in this process too; a second open of the same id
        // racing this one finds it taken and, once the insert is refused, answers with the stored case.
        boolean runHere = inline && local.tryTake(document.id);
        try {
            try {
                // Inserted already leased when it runs here: no other instance starts on it before this one
                // has. Otherwise inserted due, for a worker.
                CaseRecord inserted = book.toRecord(document, runHere);
                book.store().insert(inserted);
                document.indexedReferences.addAll(inserted.providerReferences());
            } catch (PosUnbindException e) {
                if (e.errorCode() == CoreErrorCode.DUPLICATE_CASE) {
                    Optional<CaseRecord> winner = book.store().load(caseId.value());
                    if (winner.isEmpty()) {
                        // Not this id: another open case for the terminal won the race.
                        throw new PosUnbindException(CoreErrorCode.TERMINAL_ALREADY_IN_CASE, "Terminal "
                                + request.terminalSerial() + " already has an open unbind case at "
                                + request.providerId() + "; finish or cancel it first");
                    }
                    return reopened(caseId, request, winner.get());
                }
                throw e;
            }
            if (runHere) {
                runner.held(document.id);
            }
            audit.auditBestEffort(request.requestedBy(), "OPEN", request, caseId,
                    "reason " + request.reason() + ", scope " + request.scope());
            CaseLog.opened(document.id, request.providerId(), document.steps.size());
            if (!runHere) {
                dueSignal.due();
                return book.snapshot(document);
            }
            return runner.work(document, () -> false);
        } finally {
            if (runHere) {
                local.giveBack(document.id);
            }
        }
    }

    CaseSnapshot reopened(CaseId caseId, UnbindRequest request, CaseRecord record) {
        CaseDocument document = book.load(record);
        if (!document.request.equals(request)) {
            throw new PosUnbindException(CoreErrorCode.DUPLICATE_CASE,
                    "Case " + caseId + " exists with another request; choose a new case id");
        }
        return book.snapshot(document);
    }

    /**
     * What the request's provider lacks for it, as {@link #open} checks it: empty when it can carry it out. For
     * checking the rows of a batch before any starts.
     *
     * @throws PosUnbindException with {@code PROVIDER_NOT_FOUND} or {@code PROVIDER_DECLARATION_INVALID}
     */
    List<RuleViolation> capabilityProblems(UnbindRequest request) {
        PaymentProvider provider = providers.require(request.providerId());
        return capabilityProblems(request, ProviderDeclarations.read(provider, settings.documentChecklist()));
    }

    /** What the provider lacks for the request, given what it offers and where approval happens. */
    List<RuleViolation> capabilityProblems(UnbindRequest request, ProviderDeclarations declared) {
        return planner.checkCapabilities(request, declared.capabilities(), declared.operations(), declared.approval());
    }

    /** The initial plan at this provider, with what it does not offer marked skipped. */
    List<PlannedStep> planFor(UnbindRequest request, ProviderDeclarations declared) {
        return planner.initialPlan(request, declared.capabilities(), declared.operations(), declared.approval(),
                settings.internalReview());
    }
}
