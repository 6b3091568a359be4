package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;

/**
 * The formal unbind application (解绑申请表) submitted to the bank or payment institution.
 *
 * @param caseId         the engine's case id, for the institution's records
 * @param merchantNumber the merchant number
 * @param merchantName   the merchant name
 * @param terminalSerial the terminal concerned
 * @param reason         the reason in the merchant's words
 * @param documents      the documents carried with it
 */
@API(status = API.Status.STABLE, since = "2.0")
public record UnbindApplication(String caseId, String merchantNumber, String merchantName, String terminalSerial,
        String reason, List<Document> documents) {

    /** Checks and copies the fields. */
    public UnbindApplication {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
        Objects.requireNonNull(merchantName, "merchantName");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Objects.requireNonNull(reason, "reason");
        documents = List.copyOf(documents);
    }
}
