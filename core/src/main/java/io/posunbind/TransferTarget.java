package io.posunbind;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a transferred terminal goes (换绑): the merchant that receives it and, where the provider keeps
 * stores, the store it is placed at.
 *
 * @param merchantNumber the receiving merchant's number
 * @param storeId        the store, if any
 */
public record TransferTarget(String merchantNumber, Optional<String> storeId) {

    /** Checks the fields. */
    public TransferTarget {
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(storeId, "storeId");
        if (merchantNumber.isBlank() || merchantNumber.length() > UnbindRequest.MAX_IDENTIFIER_LENGTH) {
            throw new IllegalArgumentException("A merchant number has 1 to " + UnbindRequest.MAX_IDENTIFIER_LENGTH
                    + " characters");
        }
    }

    /** A transfer to a merchant without store. */
    public static TransferTarget to(String merchantNumber) {
        return new TransferTarget(merchantNumber, Optional.empty());
    }
}
