package io.posunbind.observe;

import io.posunbind.spi.API;

/** What one run of a step came to. */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public enum StepOutcome {
    /** The step is done; the case goes on to the next. */
    DONE,
    /** The step waits: for input, a decision, settlement or a pending operation (a poll found nothing new). */
    WAITING,
    /** The step failed transiently, or its outcome is unknown: it runs again later. */
    RETRY,
    /** The step was skipped (nothing to do at this provider). */
    SKIPPED,
    /** The provider's limits let no call through: nothing was sent, the step comes back shortly. */
    DEFERRED,
    /** The step stopped the case (failed, rejected or blocked) for an operator. */
    STOPPED
}
