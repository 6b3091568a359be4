package io.posunbind;

import io.posunbind.spi.API;

/** Where one step of a case stands. */
@API(status = API.Status.STABLE, since = "0.1")
public enum StepStatus {
    /** Not started. */
    PLANNED,
    /** Started; waiting for input, a provider or a timer. */
    WAITING,
    /** Finished successfully. */
    DONE,
    /** Finished unsuccessfully; the case stopped here. */
    FAILED,
    /** Not carried out, or given up while waiting: the case was cancelled before this step finished. */
    CANCELLED,
    /**
     * Not carried out because it does not apply at the provider: it lacks the operation, answered that
     * it does not apply, or needs no institution approval. The step's last code and message say why;
     * the case goes on. Since SPI 2.0.
     */
    SKIPPED
}
