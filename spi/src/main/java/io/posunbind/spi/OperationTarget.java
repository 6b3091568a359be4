package io.posunbind.spi;

import io.posunbind.spi.model.AccountNumber;
import java.util.Objects;
import java.util.Optional;

/**
 * What a mutating operation acts on: always a merchant, and the terminal or the settlement account when
 * the operation concerns one. Part of the {@link SentOperation} the engine persists before the call, so a
 * lookup can find the operation by its target at a provider that cannot be asked by idempotency key.
 * Immutable and thread-safe; {@link #toString()} masks the account number.
 *
 * @param merchantNumber the merchant number (商户号) the case is about
 * @param terminalSerial the terminal's serial number: the old terminal, or the replacement for set-up,
 *                       software and test-transaction operations
 * @param account        the settlement account, for {@link OperationKind#UNBIND_SETTLEMENT_ACCOUNT}
 */
@API(status = API.Status.STABLE, since = "2.0")
public record OperationTarget(String merchantNumber, Optional<String> terminalSerial, Optional<AccountNumber> account) {

    /** Checks the fields. */
    public OperationTarget {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Objects.requireNonNull(account, "account");
        if (merchantNumber.isBlank()) {
            throw new IllegalArgumentException("An operation's target names its merchant");
        }
    }

    /** An operation on the merchant itself (merchant info, an application, a verification challenge). */
    public static OperationTarget merchant(String merchantNumber) {
        return new OperationTarget(merchantNumber, Optional.empty(), Optional.empty());
    }

    /** An operation on one of the merchant's terminals. */
    public static OperationTarget terminal(String merchantNumber, String terminalSerial) {
        return new OperationTarget(merchantNumber, Optional.of(terminalSerial), Optional.empty());
    }

    /** An operation on the merchant's settlement account. */
    public static OperationTarget account(String merchantNumber, AccountNumber account) {
        return new OperationTarget(merchantNumber, Optional.empty(), Optional.of(account));
    }
}
