package io.posunbind.json;

import io.posunbind.spi.API;

/**
 * A command an HTTP front end receives for an open case, read with {@link UnbindJson#readCommand}. The
 * case's id is not part of the command: it comes from the URL, for example
 * {@code POST /cases/{id}/cancel}. Each command is an immutable record, checked as it is built, whether
 * from JSON or in code; card, account and identity numbers typed into its notes are masked.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public sealed interface UnbindCommand permits FeeConsentCommand, DeclineFeesCommand, CancelCommand, RetryCommand,
        VerificationAnswerCommand, InternalReviewCommand, SubmitDocumentsCommand, DecisionCommand {
}
