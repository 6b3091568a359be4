package io.posunbind;

import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.model.SettlementAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The terminal that replaces the old one, set up, updated and tested before the case completes.
 * Immutable and thread-safe.
 *
 * @param serialNumber      the new terminal's serial number, registered at the provider: an identifier of
 *                          1 to {@value UnbindRequest#MAX_IDENTIFIER_LENGTH} characters
 * @param model             its model, on one line
 * @param settlementAccount the account it settles to when the old one is being unbound; empty keeps
 *                          the merchant's current account
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ReplacementTerminal(String serialNumber, String model, Optional<SettlementAccount> settlementAccount) {

    /**
     * Checks the fields; card, account and identity numbers typed into the model or the account's names
     * are masked.
     *
     * @throws InvalidRequestException listing every problem
     */
    public ReplacementTerminal {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.identifier(problems, "serialNumber", serialNumber, UnbindRequest.MAX_IDENTIFIER_LENGTH);
        model = InputText.name(problems, "model", model);
        if (settlementAccount == null) {
            settlementAccount = Optional.empty();
        }
        settlementAccount = settlementAccount.map(account ->
                InputText.settlementAccount(problems, "settlementAccount", account));
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The replacement terminal is invalid", problems);
        }
    }

    /** A replacement that keeps the merchant's settlement account. */
    public static ReplacementTerminal of(String serialNumber, String model) {
        return new ReplacementTerminal(serialNumber, model, Optional.empty());
    }
}
