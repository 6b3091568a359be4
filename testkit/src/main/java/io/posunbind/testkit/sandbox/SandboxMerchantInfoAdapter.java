package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.merchantNotFound;
import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;
import static io.posunbind.testkit.sandbox.SandboxAnswers.terminalNotFound;

import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's merchant backend (商户后台). Detaching a terminal is a modification of the merchant info,
 * so it travels as {@link OperationKind#MODIFY_MERCHANT_INFO}. Deletion is refused while any terminal is
 * still bound to the merchant (active or disabled), as PAXSTORE refuses to delete a merchant a terminal
 * uses, and while funds are unsettled. Thread-safe through the backend's lock.
 */
final class SandboxMerchantInfoAdapter implements MerchantInfoAdapter {

    private final AdapterGateway acquirer;

    SandboxMerchantInfoAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public Optional<MerchantInfo> readMerchantInfo(String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        return acquirer.read("readMerchantInfo", () -> acquirer.world().merchantState(merchantNumber).map(acquirer.world()::merchantInfo));
    }

    @Override
    public OperationOutcome detachTerminal(OperationContext context, String merchantNumber, String terminalSerial) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        return acquirer.execute(context, OperationKind.MODIFY_MERCHANT_INFO, List.of(merchantNumber, terminalSerial),
                () -> List.of(merchantNumber), record -> {
                    Optional<MerchantState> found = acquirer.world().merchantState(merchantNumber);
                    if (found.isEmpty()) {
                        return merchantNotFound(merchantNumber);
                    }
                    Optional<TerminalState> terminal = acquirer.world().terminalState(terminalSerial);
                    if (terminal.isEmpty()) {
                        return terminalNotFound(terminalSerial);
                    }
                    if (terminal.get().status == TerminalStatus.ACTIVE && terminal.get().boundTo(merchantNumber)) {
                        return rejected(StandardErrorCode.TERMINAL_ACTIVE, "SBX-TERMINAL-ACTIVE",
                                "Terminal " + terminalSerial + " is active for merchant " + merchantNumber
                                        + "; disable it before detaching it from the merchant info");
                    }
                    if (!found.get().registeredTerminals.remove(terminalSerial)) {
                        return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-TERMINAL-NOT-REGISTERED",
                                "Terminal " + terminalSerial + " is not registered for merchant " + merchantNumber);
                    }
                    return acquirer.done(record, "SBX-MOD");
                });
    }

    @Override
    public OperationOutcome deleteMerchantInfo(OperationContext context, String merchantNumber) {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        return acquirer.execute(context, OperationKind.DELETE_MERCHANT_INFO, List.of(merchantNumber),
                () -> List.of(merchantNumber), record -> {
            Optional<MerchantState> found = acquirer.world().merchantState(merchantNumber);
            if (found.isEmpty()) {
                return merchantNotFound(merchantNumber);
            }
            MerchantState merchant = found.get();
            List<String> stillBound = acquirer.world().stillBoundTerminals(merchantNumber);
            if (!stillBound.isEmpty()) {
                return rejected(StandardErrorCode.MERCHANT_HAS_ACTIVE_TERMINALS, "SBX-MERCHANT-HAS-TERMINALS",
                        "Merchant " + merchantNumber + " still has terminals bound " + stillBound
                                + "; disable and unbind them first");
            }
            if (merchant.hasUnsettledFunds()) {
                return rejected(StandardErrorCode.FUNDS_UNSETTLED, "SBX-FUNDS-UNSETTLED",
                        "Merchant " + merchantNumber + " has unsettled funds; wait for settlement");
            }
            merchant.deleted = true;
            merchant.registeredTerminals.clear();
            return acquirer.done(record, "SBX-DEL");
        });
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return acquirer.lookup(reference);
    }
}
