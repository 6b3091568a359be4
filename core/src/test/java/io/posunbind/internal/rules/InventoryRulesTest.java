package io.posunbind.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryRulesTest {

    private final InventoryRules rules = new InventoryRules();
    private final UnbindRequest request = UnbindRequest.builder().provider("p").merchantNumber("M1")
            .terminalSerial("SN1").reason(UnbindReason.CLOSURE).allBindings().requestedBy(Actor.operator("op"))
            .build();

    private static Terminal terminal(TerminalStatus status, String... merchants) {
        return new Terminal("SN1", "A920", status, List.of(merchants), Optional.empty(), List.of());
    }

    @Test
    void aTerminalBoundToItsMerchantOnlyPasses() {
        assertTrue(rules.check(request, terminal(TerminalStatus.ACTIVE, "M1")).isEmpty());
    }

    @Test
    void oneTerminalForSeveralMerchantsIsRefused() {
        List<RuleViolation> violations = rules.check(request, terminal(TerminalStatus.ACTIVE, "M1", "M2"));
        assertEquals(List.of(RuleCode.TERMINAL_BOUND_TO_SEVERAL_MERCHANTS.code()),
                violations.stream().map(RuleViolation::code).toList());
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        List<RuleViolation> violations = rules.check(request, terminal(TerminalStatus.DECOMMISSIONED, "M7", "M8"));
        assertEquals(List.of(RuleCode.TERMINAL_BOUND_TO_SEVERAL_MERCHANTS.code(),
                RuleCode.TERMINAL_NOT_BOUND_TO_MERCHANT.code(), RuleCode.TERMINAL_NOT_BOUND.code()),
                violations.stream().map(RuleViolation::code).toList());
    }

    @Test
    void pboc259HoldsOnlyWhereTheChecklistsJurisdictionHasIt() {
        Terminal shared = terminal(TerminalStatus.ACTIVE, "M1", "M2");

        assertTrue(rules.check(request, shared, DocumentChecklist.international()).isEmpty());
        assertEquals(List.of(RuleCode.TERMINAL_BOUND_TO_SEVERAL_MERCHANTS.code()),
                rules.check(request, shared, DocumentChecklist.china()).stream()
                        .map(RuleViolation::code).toList());
    }
}
