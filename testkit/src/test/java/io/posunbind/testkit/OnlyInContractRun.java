package io.posunbind.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the contract classes of broken providers only inside a {@link ContractRun}: run directly (a
 * {@code -Dtest} pattern reaches nested classes) they would fail by design.
 */
final class OnlyInContractRun implements ExecutionCondition {

    static final String PARAMETER = "posunbind.testkit.contractRun";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).isPresent()
                ? ConditionEvaluationResult.enabled("run by ContractRun")
                : ConditionEvaluationResult.disabled("a broken provider's contract, run only by ContractRun");
    }
}
