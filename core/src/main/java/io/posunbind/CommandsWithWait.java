package io.posunbind;

import io.posunbind.callback.Callback;
import io.posunbind.internal.engine.CommandWaits;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.RawCallback;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link Unbinder#commands(WaitPolicy)}: an unbinder's commands, each keeping its caller as one wait policy says
 * instead of the builder's default. An opening given its own policy keeps that one, and {@code advance} runs on
 * the caller's thread as always. Immutable and thread-safe.
 */
final class CommandsWithWait implements UnbindCommands {

    private final UnbindCommands commands;
    private final WaitPolicy wait;

    CommandsWithWait(UnbindCommands commands, WaitPolicy wait) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    private CaseSnapshot waiting(Supplier<CaseSnapshot> command) {
        return CommandWaits.with(wait, command);
    }

    @Override
    public CaseSnapshot open(UnbindRequest request) {
        return commands.open(request, wait);
    }

    @Override
    public CaseSnapshot open(UnbindRequest request, WaitPolicy chosen) {
        return commands.open(request, chosen);
    }

    @Override
    public CaseSnapshot open(CaseId caseId, UnbindRequest request, WaitPolicy chosen) {
        return commands.open(caseId, request, chosen);
    }

    @Override
    public CaseSnapshot open(CaseId caseId, UnbindRequest request) {
        return commands.open(caseId, request, wait);
    }

    @Override
    public CaseSnapshot submitDocuments(CaseId caseId, Actor actor, List<Document> documents) {
        return waiting(() -> commands.submitDocuments(caseId, actor, documents));
    }

    @Override
    public CaseSnapshot consentToFees(CaseId caseId, FeeConsent consent) {
        return waiting(() -> commands.consentToFees(caseId, consent));
    }

    @Override
    public CaseSnapshot declineFees(CaseId caseId, Actor actor) {
        return waiting(() -> commands.declineFees(caseId, actor));
    }

    @Override
    public CaseSnapshot answerVerification(CaseId caseId, Actor actor, String answer) {
        return waiting(() -> commands.answerVerification(caseId, actor, answer));
    }

    @Override
    public CaseSnapshot approveInternally(CaseId caseId, Actor reviewer, String note) {
        return waiting(() -> commands.approveInternally(caseId, reviewer, note));
    }

    @Override
    public CaseSnapshot rejectInternally(CaseId caseId, Actor reviewer, String note) {
        return waiting(() -> commands.rejectInternally(caseId, reviewer, note));
    }

    @Override
    public CaseSnapshot recordDecision(CaseId caseId, Actor actor, InstitutionDecision decision) {
        return waiting(() -> commands.recordDecision(caseId, actor, decision));
    }

    @Override
    public CaseSnapshot completeOperation(CaseId caseId, Actor actor, String providerReference,
            OperationOutcome outcome) {
        return waiting(() -> commands.completeOperation(caseId, actor, providerReference, outcome));
    }

    @Override
    public CaseSnapshot acceptCallback(Callback callback) {
        return waiting(() -> commands.acceptCallback(callback));
    }

    @Override
    public CaseSnapshot acceptNotification(String providerId, RawCallback request) {
        return waiting(() -> commands.acceptNotification(providerId, request));
    }

    /** Runs on the caller's thread, as {@link Unbinder#advance} always does. */
    @Override
    public CaseSnapshot advance(CaseId caseId) {
        return commands.advance(caseId);
    }

    @Override
    public CaseSnapshot cancel(CaseId caseId, Actor actor, String reason) {
        return waiting(() -> commands.cancel(caseId, actor, reason));
    }

    @Override
    public CaseSnapshot retry(CaseId caseId, Actor operator, String reason) {
        return waiting(() -> commands.retry(caseId, operator, reason));
    }

    @Override
    public String toString() {
        return "UnbindCommands waiting " + wait;
    }
}
