package io.posunbind.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.StepKind;
import org.junit.jupiter.api.Test;

/** One handler per step kind: a kind without one, or with two, fails when the engine is built. */
class StepHandlersTest {

    private static final StepHandler DONE = (document, step, provider, checkpoint) -> new StepResult.Done("done");

    @Test
    void aStepKindWithoutAHandlerIsRefusedWhenTheHandlersAreBuilt() {
        StepHandlers.Registry registry = new StepHandlers.Registry();
        for (StepKind kind : StepKind.values()) {
            if (kind != StepKind.VERIFY_COMPLETION) {
                registry.add(kind, DONE);
            }
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, registry::build);
        assertTrue(refused.getMessage().contains("VERIFY_COMPLETION"), refused.getMessage());
    }

    @Test
    void aSecondHandlerForOneKindIsRefused() {
        StepHandlers.Registry registry = new StepHandlers.Registry();
        registry.add(StepKind.TAKE_INVENTORY, DONE);
        assertThrows(IllegalStateException.class, () -> registry.add(StepKind.TAKE_INVENTORY, DONE));
    }

    @Test
    void everyKindFindsTheHandlerRegisteredForIt() {
        StepHandlers.Registry registry = new StepHandlers.Registry();
        StepHandler inventory = (document, step, provider, checkpoint) -> new StepResult.Done("inventory");
        for (StepKind kind : StepKind.values()) {
            registry.add(kind, kind == StepKind.TAKE_INVENTORY ? inventory : DONE);
        }
        StepHandlers handlers = registry.build();
        assertEquals(inventory, handlers.of(StepKind.TAKE_INVENTORY));
        assertEquals(DONE, handlers.of(StepKind.RUN_TEST_TRANSACTION));
    }
}
