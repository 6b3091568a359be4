package io.posunbind.internal.engine;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.FeeConsent;
import io.posunbind.HistoryEntry;
import io.posunbind.StepStatus;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.event.UnbindEvent;
import io.posunbind.internal.json.RememberedJson;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.Terminal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's working copy of one case, stored as JSON. Mutable on purpose and confined to the
 * thread that holds the case's lock; callers only ever see the immutable {@link CaseSnapshot}.
 */
final class CaseDocument {

    /** Bumped when the document's shape changes incompatibly; readers refuse newer documents. */
    static final int FORMAT = 1;

    /** The document's format; 0 in memory until written, so serialization never omits it. */
    int format;
    String id;
    long version;
    UnbindRequest request;
    CaseState state = CaseState.RUNNING;
    WaitReason waitingFor;
    List<StepRecord> steps = new ArrayList<>();
    int nextStepNumber = 1;
    boolean planExpanded;
    List<RuleViolation> violations = new ArrayList<>();
    List<Document> documents = new ArrayList<>();
    /**
     * The jurisdiction's document checklist the case follows, fixed when it is opened (the application's
     * or the provider's); null in cases stored before checklists existed.
     */
    DocumentChecklist checklist;
    /** Documents the institution asked for on top of the usual ones. */
    List<DocumentKind> extraRequiredDocuments = new ArrayList<>();

    // What the inventory found.
    Terminal terminal;
    SettlementAccount settlementAccount;
    MerchantInfo merchantInfo;

    BackupRecord backup;
    FeeQuote feeQuote;
    FeeConsent feeConsent;
    String applicationReference;
    /** Applications the institution answered with "more information required"; their decisions no longer count. */
    List<String> supersededApplications = new ArrayList<>();
    String internalReviewer;
    Boolean internalReviewApproved;
    InstitutionDecision decision;
    /** Callbacks acted on, as "provider nonce": a resend that reaches the case is a replay, spent nonce or not. */
    List<String> callbacksActedOn = new ArrayList<>();
    String testTransactionReference;

    String failureCode;
    String failureMessage;
    List<HistoryEntry> history = new ArrayList<>();
    Instant createdAt;
    Instant updatedAt;
    Instant wakeAt;

    // Durable timers besides the current step's own (retry, poll): they survive restarts in this document.
    Instant waitingSince;
    Instant nextReminderAt;
    Instant approvalDeadlineAt;

    /** Events stored with the change they describe and delivered after it committed (the outbox). */
    List<UnbindEvent> outbox = new ArrayList<>();
    long nextEventSequence = 1;

    /** The document's JSON as the store last had it (written or loaded); never stored itself. */
    transient String storedJson;
    /** The current step's next attempt when {@link #storedJson} was taken. */
    transient Instant storedNextAttemptAt;
    /** The outbox when {@link #storedJson} was taken: events the store holds until the next write. */
    transient List<UnbindEvent> storedOutbox = List.of();

    /**
     * Whether steps that sent no operation to the provider finished since the case was last stored: kept in
     * memory until then, they must be stored before the next operation is sent (see {@link Checkpoint}); never
     * stored itself.
     */
    transient boolean unstoredSteps;

    /**
     * The provider references the store already indexes for this case (written with earlier changes), so
     * a write sends only the new ones; never stored itself.
     */
    transient Set<String> indexedReferences = new HashSet<>();

    /** The JSON of this document's immutable values, kept while the engine works on it; never stored. */
    transient RememberedJson.Memory jsonMemory =
            RememberedJson.newMemory();

    StepRecord currentStep() {
        for (StepRecord step : steps) {
            // A skipped step is as finished as a done one: the case goes on after it.
            if (step.status != StepStatus.DONE && step.status != StepStatus.SKIPPED) {
                return step;
            }
        }
        return null;
    }

    boolean hasDocument(DocumentKind kind) {
        return documents.stream().anyMatch(document -> document.kind() == kind);
    }

    /** The backup of the old terminal, as stored and verified. */
    static final class BackupRecord {
        String backupId;
        String keyId;
        int usageRecordCount;
        int settingCount;
        /** The sealed backup (AES-256-GCM chunks) as JSON; the terminal's data never sits here in clear. */
        String sealedJson;
        Instant takenAt;
        boolean verified;
    }
}
