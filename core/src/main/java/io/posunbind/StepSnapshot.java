package io.posunbind;

import io.posunbind.spi.API;
import io.posunbind.spi.LocalizedText;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a case as callers see it.
 *
 * @param number            the step's number within its case, stable for the case's life
 * @param kind              what the step does
 * @param target            what it acts on when there are several (a peripheral id), otherwise empty
 * @param status            where it stands
 * @param attempts          how many times a provider call was sent for it
 * @param providerReference the provider's reference of its operation, if any
 * @param lastCode          the code of its last problem, if any
 * @param lastMessage       the message of its last problem, if any
 * @param operatorNote      what the provider asks people to do while its operation is pending ("return the
 *                          terminal through the Customer Area"), in English and Chinese, if it said
 */
@API(status = API.Status.STABLE, since = "0.1")
public record StepSnapshot(int number, StepKind kind, String target, StepStatus status, int attempts,
        Optional<String> providerReference, Optional<String> lastCode, Optional<String> lastMessage,
        Optional<LocalizedText> operatorNote) {

    /** A step without a note for operators. */
    public StepSnapshot(int number, StepKind kind, String target, StepStatus status, int attempts,
            Optional<String> providerReference, Optional<String> lastCode, Optional<String> lastMessage) {
        this(number, kind, target, status, attempts, providerReference, lastCode, lastMessage, Optional.empty());
    }

    /** Checks the fields. */
    public StepSnapshot {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(lastCode, "lastCode");
        Objects.requireNonNull(lastMessage, "lastMessage");
        if (operatorNote == null) {
            operatorNote = Optional.empty();
        }
    }
}
