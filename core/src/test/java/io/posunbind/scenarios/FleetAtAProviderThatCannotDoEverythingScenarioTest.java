package io.posunbind.scenarios;

import static io.posunbind.scenarios.UnbindingHarness.OPERATOR;
import static io.posunbind.scenarios.UnbindingHarness.deviceOnly;
import static io.posunbind.scenarios.UnbindingHarness.unbinderFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.posunbind.Unbinder;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchRow;
import io.posunbind.batch.BatchValidationException;
import io.posunbind.rules.RuleCode;
import io.posunbind.spi.OperationKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A fleet at a provider that can disable terminals but not unbind them: every row is refused before anything
 * starts, with the code opening its case would have given, instead of failing one by one at their start.
 */
class FleetAtAProviderThatCannotDoEverythingScenarioTest {

    private static final String MERCHANT = "NL-BAKKERIJ-01";

    @Test
    void everyRowItsProviderCannotCarryOutIsRefusedUpFrontWithTheBindingItLacks() {
        TerminalInventoryProvider provider = new TerminalInventoryProvider()
                .withTerminal("V400M-324688179", "V400m", List.of(), MERCHANT)
                .withTerminal("V400M-324688180", "V400m", List.of(), MERCHANT)
                .offering(Set.of(OperationKind.DISABLE_TERMINAL));
        Unbinder unbinder = unbinderFor(provider);

        BatchValidationException refused = assertThrows(BatchValidationException.class, () -> unbinder.openBatch(
                BatchId.of("bakeries"), List.of(
                        BatchRow.of(1, deviceOnly(TerminalInventoryProvider.ID, MERCHANT, "V400M-324688179").build()),
                        BatchRow.of(2, deviceOnly(TerminalInventoryProvider.ID, MERCHANT, "V400M-324688180").build())),
                BatchOptions.defaults(), OPERATOR));

        assertEquals(List.of("1 " + RuleCode.BINDING_NOT_SUPPORTED.code() + " scope.DEVICE",
                "2 " + RuleCode.BINDING_NOT_SUPPORTED.code() + " scope.DEVICE"), refused.problems().stream()
                .map(problem -> problem.rowNumber() + " " + problem.code() + " " + problem.field()).toList());
        assertEquals(List.of(), provider.received());
    }
}
