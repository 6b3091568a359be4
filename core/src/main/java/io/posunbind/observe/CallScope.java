package io.posunbind.observe;

import io.posunbind.spi.API;
import java.util.Optional;

/**
 * A provider call as an observer sees it, from {@link EngineObserver#providerCallStarted}: ended exactly
 * once, on the thread that started it, when the adapter answered or threw.
 */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface CallScope {

    /** A scope that does nothing. */
    CallScope NONE = (outcome, code) -> {
    };

    /**
     * The call is over.
     *
     * @param outcome what the provider answered
     * @param code    the error code of a failure (such as {@code PRV-UNAVAILABLE}), when it has one
     */
    void end(CallOutcome outcome, Optional<String> code);
}
