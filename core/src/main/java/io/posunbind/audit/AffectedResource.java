package io.posunbind.audit;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * What an audited action touched: the case, the terminal and the merchant. A field that does not apply is
 * the empty string. These are identifiers, kept in clear so the log can be searched by them; a terminal's
 * serial number and a merchant number are not secrets, unlike card, account and identity numbers, which
 * never belong here.
 *
 * <p>A command on a batch of cases (a fleet unbind) names the batch as {@code "batch:<batch id>"} in the case
 * field ({@link #ofBatch}); a case id never holds a colon, so the two never meet, and the trail's look-ups by
 * case find a batch's commands too.
 *
 * <p>Immutable. Only nulls are refused here, so that records read back from a store or an evidence bundle
 * can always be represented; drafts check lengths and characters (see {@link AuditEntry}).
 *
 * @param caseId         the unbind case's id, {@code batch:} and a batch's id, or empty
 * @param terminalSerial the terminal's serial number (SN), or empty
 * @param merchantNumber the merchant number (商户号), or empty
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record AffectedResource(String caseId, String terminalSerial, String merchantNumber) {

    /** What the case field of a batch's records starts with, followed by the batch's id. */
    public static final String BATCH_PREFIX = "batch:";

    private static final AffectedResource NONE = new AffectedResource("", "", "");

    /** Checks that no field is null. */
    public AffectedResource {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(terminalSerial, "terminalSerial");
        Objects.requireNonNull(merchantNumber, "merchantNumber");
    }

    /** Nothing in particular, for example a key rotation. */
    public static AffectedResource none() {
        return NONE;
    }

    /** A case, its terminal and merchant not named. */
    public static AffectedResource ofCase(String caseId) {
        return new AffectedResource(caseId, "", "");
    }

    /**
     * A batch of cases: {@code "batch:<batch id>"} in the case field, its terminals and merchants not named
     * (each row's case has its own records with them).
     *
     * @param batchId the batch's id, such as {@code "closing-2026-11"}
     * @return the resource
     */
    public static AffectedResource ofBatch(String batchId) {
        return new AffectedResource(BATCH_PREFIX + Objects.requireNonNull(batchId, "batchId"), "", "");
    }

    /** A case with its terminal and merchant. */
    public static AffectedResource of(String caseId, String terminalSerial, String merchantNumber) {
        return new AffectedResource(caseId, terminalSerial, merchantNumber);
    }
}
