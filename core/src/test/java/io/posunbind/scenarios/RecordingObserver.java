package io.posunbind.scenarios;

import io.posunbind.observe.CallScope;
import io.posunbind.observe.ClaimBatch;
import io.posunbind.observe.DeadLetter;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.ProviderCall;
import io.posunbind.observe.RetryScheduled;
import io.posunbind.observe.StepScope;
import io.posunbind.observe.StepStart;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An application's observer that writes down, in order, what the engine told it. */
final class RecordingObserver implements EngineObserver {

    final List<String> told = Collections.synchronizedList(new ArrayList<>());
    final List<ProviderCall> calls = Collections.synchronizedList(new ArrayList<>());
    final List<RetryScheduled> retries = Collections.synchronizedList(new ArrayList<>());
    final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
    final List<ClaimBatch> claims = Collections.synchronizedList(new ArrayList<>());

    @Override
    public StepScope stepStarted(StepStart step) {
        told.add("step " + step.step() + " #" + step.number() + " attempt " + step.attempt() + " of " + step.caseId().value());
        return (outcome, code) -> told.add("step " + step.step() + " " + outcome + code.map(c -> " " + c).orElse(""));
    }

    @Override
    public CallScope providerCallStarted(ProviderCall call) {
        calls.add(call);
        told.add("call " + call.operation() + " in " + call.step().map(Enum::name).orElse("-") + " of "
                + call.caseId().map(id -> id.value()).orElse("-"));
        return (outcome, code) -> told.add("call " + call.operation() + " " + outcome + code.map(c -> " " + c).orElse(""));
    }

    @Override
    public void retryScheduled(RetryScheduled retry) {
        retries.add(retry);
        told.add("retry " + retry.step() + " " + retry.code());
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
        told.add("dead letter " + deadLetter.code());
    }

    @Override
    public void claimed(ClaimBatch claim) {
        claims.add(claim);
        told.add("claimed " + claim.casesClaimed());
    }

    List<String> told() {
        synchronized (told) {
            return List.copyOf(told);
        }
    }
}
