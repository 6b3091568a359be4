package io.posunbind;

import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a transferred terminal goes (换绑): the merchant that receives it and, where the provider keeps
 * stores, the store it is placed at. Immutable and thread-safe.
 *
 * @param merchantNumber the receiving merchant's number, an identifier of 1 to
 *                       {@value UnbindRequest#MAX_IDENTIFIER_LENGTH} characters
 * @param storeId        the store, if any, an identifier of the same shape
 */
@API(status = API.Status.STABLE, since = "0.1")
public record TransferTarget(String merchantNumber, Optional<String> storeId) {

    /**
     * Checks the fields.
     *
     * @throws InvalidRequestException listing every problem
     */
    public TransferTarget {
        List<RuleViolation> problems = new ArrayList<>();
        InputText.identifier(problems, "merchantNumber", merchantNumber, UnbindRequest.MAX_IDENTIFIER_LENGTH);
        if (storeId == null) {
            storeId = Optional.empty();
        }
        storeId.ifPresent(store -> InputText.identifier(problems, "storeId", store,
                UnbindRequest.MAX_IDENTIFIER_LENGTH));
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The transfer target is invalid", problems);
        }
    }

    /** A transfer to a merchant without store. */
    public static TransferTarget to(String merchantNumber) {
        return new TransferTarget(merchantNumber, Optional.empty());
    }
}
