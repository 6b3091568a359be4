package io.posunbind.provider.adyen.internal;

import com.adyen.model.management.TerminalAssignment;
import com.adyen.model.management.TerminalReassignmentTarget;
import io.posunbind.provider.adyen.internal.AdyenSettings.ReassignTarget;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a terminal's assignment in Adyen reads for the engine, and whether it has reached the inventory a
 * reassignment sends it to. Stateless.
 */
final class TerminalView {

    private TerminalView() {
    }

    /**
     * The terminal as the engine sees it. Adyen knows no peripherals apart from the terminal; a terminal in an
     * inventory is bound to no merchant (it cannot transact), otherwise to the merchant account it is assigned to.
     */
    static Terminal toSpi(String serialNumber, String model, TerminalAssignment assignment) {
        TerminalAssignment.StatusEnum status = assignment == null ? null : assignment.getStatus();
        List<String> bound = status == null || status == TerminalAssignment.StatusEnum.INVENTORY
                || assignment.getMerchantId() == null ? List.of() : List.of(assignment.getMerchantId());
        return new Terminal(serialNumber, model == null ? "unknown" : model, status(status), bound,
                Optional.ofNullable(assignment == null ? null : assignment.getStoreId()), List.of());
    }

    static TerminalStatus status(TerminalAssignment.StatusEnum status) {
        if (status == null) {
            return TerminalStatus.NEW;
        }
        return switch (status) {
            case BOARDED, DEPLOYED -> TerminalStatus.ACTIVE;
            case INVENTORY -> TerminalStatus.UNBOUND;
            case REASSIGNMENTINPROGRESS -> TerminalStatus.IN_TRANSITION;
        };
    }

    /** Whether the terminal sits in the inventory the adapter reassigns to, for this case's merchant. */
    static boolean inTargetInventory(TerminalAssignment assignment, ReassignTarget target, String merchantNumber,
            Optional<String> companyId) {
        if (assignment == null || assignment.getStatus() != TerminalAssignment.StatusEnum.INVENTORY) {
            return false;
        }
        return target == ReassignTarget.MERCHANT_INVENTORY
                ? merchantNumber.equals(assignment.getMerchantId())
                : assignment.getMerchantId() == null && companyId.isPresent()
                        && companyId.get().equals(assignment.getCompanyId());
    }

    /** Whether the terminal is being reassigned to the inventory the adapter reassigns to. */
    static boolean movingToTargetInventory(TerminalAssignment assignment, ReassignTarget target,
            String merchantNumber, Optional<String> companyId) {
        if (assignment == null || assignment.getStatus() != TerminalAssignment.StatusEnum.REASSIGNMENTINPROGRESS) {
            return false;
        }
        TerminalReassignmentTarget going = assignment.getReassignmentTarget();
        if (going == null) {
            // Adyen did not say where it goes: only our reassignment is expected on a terminal being unbound.
            return true;
        }
        return target == ReassignTarget.MERCHANT_INVENTORY
                ? Boolean.TRUE.equals(going.getInventory()) && merchantNumber.equals(going.getMerchantId())
                : going.getMerchantId() == null && going.getStoreId() == null
                        && Objects.equals(companyId.orElse(null), going.getCompanyId());
    }
}
