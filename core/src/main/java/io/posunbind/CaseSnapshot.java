package io.posunbind;

import io.posunbind.i18n.Messages;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.FeeQuote;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An unbind case as it stood when read: immutable, safe to share and to show (sensitive numbers are
 * masked by their own types).
 *
 * @param id           the case id
 * @param version      the stored version; grows with every change
 * @param request      what was asked for
 * @param state        where the case stands
 * @param waitingFor   what a {@link CaseState#WAITING} case waits for
 * @param steps        the plan, with each step's status
 * @param violations   the rule violations that currently hold the case (all at once)
 * @param feeQuote     the fee quote the merchant is asked to agree to, once quoted
 * @param failureCode  the code that stopped a rejected, blocked or failed case
 * @param failureMessage the message that goes with it
 * @param history      who did what, oldest first
 * @param createdAt    when the case was opened
 * @param updatedAt    when it last changed
 * @param wakeAt       when the engine will next look at it by itself
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CaseSnapshot(CaseId id, long version, UnbindRequest request, CaseState state,
        Optional<WaitReason> waitingFor, List<StepSnapshot> steps, List<RuleViolation> violations,
        Optional<FeeQuote> feeQuote, Optional<String> failureCode, Optional<String> failureMessage,
        List<HistoryEntry> history, Instant createdAt, Instant updatedAt, Optional<Instant> wakeAt) {

    /** Checks and copies the fields. */
    public CaseSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(waitingFor, "waitingFor");
        steps = List.copyOf(steps);
        violations = List.copyOf(violations);
        Objects.requireNonNull(feeQuote, "feeQuote");
        Objects.requireNonNull(failureCode, "failureCode");
        Objects.requireNonNull(failureMessage, "failureMessage");
        history = List.copyOf(history);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(wakeAt, "wakeAt");
    }

    /** Whether the case waits for this. */
    public boolean isWaitingFor(WaitReason reason) {
        return state == CaseState.WAITING && waitingFor.filter(reason::equals).isPresent();
    }

    /**
     * The case described for people in their language (zh-CN or English): state, what it waits for,
     * each step with its status and last problem, and every violation. Sensitive numbers stay masked.
     */
    public String describe(Locale locale) {
        Messages messages = Messages.forLocale(locale);
        StringBuilder text = new StringBuilder();
        text.append(id).append(": ").append(messages.name(state));
        waitingFor.ifPresent(reason -> text.append(" — ").append(messages.name(reason)));
        failureCode.ifPresent(code -> text.append(" — ").append(messages.codeText(code).orElse(code)));
        text.append('\n');
        for (StepSnapshot step : steps) {
            text.append("  ").append(step.number()).append(". ").append(messages.name(step.kind()));
            if (!step.target().isEmpty()) {
                text.append(" [").append(step.target()).append(']');
            }
            text.append(": ").append(messages.name(step.status()));
            step.lastCode().ifPresent(code -> text.append(" — ").append(messages.codeText(code).orElse(code)));
            if (step.status() == StepStatus.SKIPPED) {
                // Why it does not apply, in the provider's or the planner's words.
                step.lastMessage().ifPresent(reason -> text.append(" (").append(reason).append(')'));
            }
            step.operatorNote().ifPresent(note -> text.append(" — ").append(note.in(locale)));
            text.append('\n');
        }
        for (RuleViolation violation : violations) {
            text.append("  ! ").append(messages.describe(violation)).append('\n');
        }
        if (state == CaseState.CANCELLED_PARTIALLY) {
            text.append("  ! ").append(messages.text("cancel.partial", stepNames(messages, changesMade()),
                    stepNames(messages, notCarriedOut()))).append('\n');
        }
        return text.toString();
    }

    private static String stepNames(Messages messages, List<StepSnapshot> steps) {
        return messages.list(steps.stream().map(step -> messages.name(step.kind())
                + (step.target().isEmpty() ? "" : " [" + step.target() + "]")).toList());
    }

    /**
     * The steps that changed something at the provider and are done ({@link StepKind#changesProvider()}):
     * what an operator must undo, or keep, after a {@link CaseState#CANCELLED_PARTIALLY partial cancel}.
     */
    public List<StepSnapshot> changesMade() {
        return steps.stream().filter(step -> step.status() == StepStatus.DONE && step.kind().changesProvider())
                .toList();
    }

    /** The steps a cancel stopped before they finished ({@link StepStatus#CANCELLED}), in plan order. */
    public List<StepSnapshot> notCarriedOut() {
        return steps.stream().filter(step -> step.status() == StepStatus.CANCELLED).toList();
    }

    /**
     * The steps not carried out because they do not apply at the provider ({@link StepStatus#SKIPPED}),
     * in plan order; each one's last code and message say why.
     */
    public List<StepSnapshot> skippedSteps() {
        return steps.stream().filter(step -> step.status() == StepStatus.SKIPPED).toList();
    }

    /** The steps of a kind, in plan order. */
    public List<StepSnapshot> steps(StepKind kind) {
        return steps.stream().filter(step -> step.kind() == kind).toList();
    }
}
