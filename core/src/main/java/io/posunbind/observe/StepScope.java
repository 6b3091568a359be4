package io.posunbind.observe;

import io.posunbind.spi.API;
import java.util.Optional;

/**
 * A step's run as an observer sees it, from {@link EngineObserver#stepStarted}: ended exactly once, on the
 * thread that started it, with what the run came to.
 */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface StepScope {

    /** A scope that does nothing. */
    StepScope NONE = (outcome, code) -> {
    };

    /**
     * The step has run.
     *
     * @param outcome what the run came to
     * @param code    the error or rule code it ended with, for {@link StepOutcome#RETRY},
     *                {@link StepOutcome#SKIPPED} and {@link StepOutcome#STOPPED}
     */
    void end(StepOutcome outcome, Optional<String> code);
}
