package io.posunbind.internal.engine;

import io.posunbind.CaseId;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.RetryPolicy;
import io.posunbind.StepKind;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.backup.BackupVault;
import io.posunbind.internal.engine.ProviderOperations.ProviderCallObserver;
import io.posunbind.internal.limits.CallDeferred;
import io.posunbind.internal.limits.StepCalls;
import io.posunbind.internal.observe.CurrentStep;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.StepStart;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.OperationLookup;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one step of a case against its provider through the {@link StepHandler} of its kind; the
 * case runner around it decides when to run it and stores what it did.
 *
 * <p>Provider operations go through {@link ProviderOperations}: the same idempotency key on every attempt,
 * reconciliation through {@link OperationLookup} when an earlier outcome is unknown, polling of pending
 * operations, capped jittered back-off for transient failures. Thread-safe: it keeps no state.
 */
final class StepExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);

    private final Clock clock;
    private final Retries retries;
    private final InventoryStep inventory;
    private final StepHandlers handlers;
    private final EngineObserver observer;

    StepExecutor(Clock clock, RetryPolicy retryPolicy, Duration pollInterval, RandomGenerator random, Planner planner,
            DocumentRules documentRules, BackupVault vault, ProviderCallObserver calls, EngineObserver observer) {
        this.clock = clock;
        this.observer = observer;
        this.retries = new Retries(clock, retryPolicy, random);
        ProviderOperations operations = new ProviderOperations(clock, pollInterval, retries, calls);
        this.inventory = new InventoryStep(clock, pollInterval, planner);
        StepHandlers.Registry registry = new StepHandlers.Registry();
        registry.add(StepKind.TAKE_INVENTORY, inventory);
        registry.add(StepKind.BACK_UP_TERMINAL_DATA, new BackupStep(clock, vault));
        registry.add(StepKind.OBTAIN_INSTITUTION_APPROVAL,
                new ApprovalStep(clock, pollInterval, documentRules, operations));
        new GateSteps(clock, pollInterval, documentRules).register(registry);
        new BindingSteps(operations).register(registry);
        new ReplacementSteps(operations).register(registry);
        this.handlers = registry.build();
    }

    /**
     * Executes a step.
     *
     * @param checkpoint called right before an operation that may change something at the provider is sent
     */
    StepResult execute(CaseDocument document, StepRecord step, PaymentProvider unguarded, Checkpoint checkpoint) {
        if (observer == EngineObserver.NONE) {
            return executeUnobserved(document, step, unguarded, checkpoint);
        }
        CurrentStep observed = CurrentStep.start(observer, new StepStart(CaseId.of(document.id),
                document.request.providerId(), step.kind, step.number, step.consecutiveFailures + 1));
        StepResult result = null;
        try {
            result = executeUnobserved(document, step, unguarded, checkpoint);
            return result;
        } finally {
            StepObservations.end(observed, step, result);
        }
    }

    private StepResult executeUnobserved(CaseDocument document, StepRecord step, PaymentProvider unguarded,
            Checkpoint checkpoint) {
        // Every call into the provider's code is marked, so that a failure below says whose it was.
        PaymentProvider provider = AdapterGuard.guard(unguarded);
        try (StepCalls calls = StepCalls.open(step.kind)) {
            StepResult result = handlers.of(step.kind).run(document, step, provider, checkpoint);
            if (!(result instanceof StepResult.Wait wait && wait.reason() == WaitReason.RETRY)) {
                step.consecutiveFailures = 0;
            }
            return result;
        } catch (CallDeferred deferred) {
            return new StepResult.Deferred(deferred.wakeAt());
        } catch (PosUnbindException e) {
            // Reads answer with exceptions: transient ones are retried, the rest stop the case.
            return e.retryable() ? retries.retryLater(step, e.errorCode().code(), e.getMessage())
                    : new StepResult.Stop(CaseState.FAILED, e.errorCode().code(), e.getMessage());
        } catch (AdapterGuard.AdapterFailure e) {
            // An adapter broke its contract (an uncoded exception from a read): treat it as the provider
            // being unavailable and retry, keeping what the adapter said.
            return retries.retryLater(step, StandardErrorCode.PROVIDER_UNAVAILABLE.code(), e.getMessage());
        } catch (RuntimeException e) {
            return engineFault(document, step, e);
        }
    }

    /**
     * Rules that need the provider's own data: its serial-number shape, its limit on account changes,
     * and that a transfer's receiving merchant exists. Used by the inventory and by previews.
     */
    List<RuleViolation> providerLimits(UnbindRequest request, PaymentProvider provider, Instant now) {
        return inventory.providerLimits(request, provider, now);
    }

    /**
     * A failure of posunbind's own code: retrying would only repeat it, and calling it the provider's
     * would send operators to the wrong place. The case stops for an operator, who may retry it once the
     * cause is fixed; an operation whose outcome was unknown is reconciled first then.
     */
    private static StepResult engineFault(CaseDocument document, StepRecord step, RuntimeException fault) {
        LOG.error("Engine fault in case {} at step {} {}; the case stops with {} for an operator", document.id,
                step.number, step.kind, CoreErrorCode.ENGINE_FAULT.code(), ScrubbedFault.of(fault));
        return new StepResult.Stop(CaseState.FAILED, CoreErrorCode.ENGINE_FAULT.code(), "posunbind failed inside"
                + " the engine at " + step.kind + " with " + AdapterGuard.describe(fault) + "; nothing points to"
                + " the provider. Report it with the log, then retry the case as an operator once it is fixed");
    }
}
