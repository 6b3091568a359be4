package io.posunbind.internal.rules;

import io.posunbind.UnbindRequest;
import io.posunbind.rules.RuleCode;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules on what the inventory found, checked before anything is changed: one terminal bound to one
 * merchant (PBOC 259号 forbids 一机多户), the terminal bound to the case's merchant, and still bound at all.
 * Stateless and thread-safe.
 */
public final class InventoryRules {

    /** Every violation the inventory shows under the Chinese checklist; empty when the unbind may proceed. */
    public List<RuleViolation> check(UnbindRequest request, Terminal terminal) {
        return check(request, terminal, DocumentChecklist.china());
    }

    /**
     * Every violation the inventory shows; empty when the unbind may proceed. One terminal one merchant
     * is checked only where the checklist's jurisdiction has the rule (PBOC 259号 is Chinese).
     */
    public List<RuleViolation> check(UnbindRequest request, Terminal terminal, DocumentChecklist checklist) {
        List<RuleViolation> violations = new ArrayList<>();
        if (checklist.checks(DocumentChecklist.Check.ONE_TERMINAL_ONE_MERCHANT)
                && terminal.boundMerchantNumbers().size() > 1) {
            violations.add(RuleViolation.of(RuleCode.TERMINAL_BOUND_TO_SEVERAL_MERCHANTS, "terminal",
                    "Terminal " + terminal.serialNumber() + " is bound to " + terminal.boundMerchantNumbers().size()
                            + " merchants; one terminal serves one merchant (PBOC 259号). Have the provider correct"
                            + " the binding before unbinding"));
        }
        if (!terminal.boundMerchantNumbers().contains(request.merchantNumber())) {
            violations.add(RuleViolation.of(RuleCode.TERMINAL_NOT_BOUND_TO_MERCHANT, "merchantNumber",
                    "Terminal " + terminal.serialNumber() + " is not bound to merchant " + request.merchantNumber()));
        }
        if (terminal.status() == TerminalStatus.UNBOUND || terminal.status() == TerminalStatus.DECOMMISSIONED) {
            violations.add(RuleViolation.of(RuleCode.TERMINAL_NOT_BOUND, "terminal",
                    "Terminal " + terminal.serialNumber() + " is already " + terminal.status()));
        }
        return violations;
    }
}
