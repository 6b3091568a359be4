package io.posunbind.examples.campaign;

import io.posunbind.Actor;
import io.posunbind.CaseId;
import io.posunbind.ReplacementTerminal;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.examples.remote.RemoteSandboxProvider;
import io.posunbind.examples.remote.SandboxFleet;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.DocumentKind;
import java.util.List;
import java.util.Optional;

/**
 * The unbind case of each {@link SandboxFleet} merchant in a campaign: case {@code i} unbinds all three
 * bindings of merchant {@code i}'s terminal and replaces it, moving to a new settlement account, with
 * every document the engine asks for, so that it runs to {@code COMPLETED} with no person involved but
 * the merchant's consent to the fees.
 *
 * <p>Thread-safe: pure functions only.
 */
public final class CampaignCases {

    /** Who opens the campaign's cases. */
    public static final Actor OPERATOR = Actor.operator("operator:campaign");

    /** The id prefix of campaign cases: case {@code i} is {@code "case-" + i}. */
    public static final String CASE_ID_PREFIX = "case-";

    private static final String TRAINING_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private CampaignCases() {
    }

    /** The id case {@code i} gets when the engine lets the caller choose it. */
    public static CaseId caseId(int i) {
        return CaseId.of(CASE_ID_PREFIX + i);
    }

    /** The merchant who consents to case {@code i}'s fees. */
    public static Actor merchant(int i) {
        return Actor.merchant("merchant:" + SandboxFleet.merchantNumber(i));
    }

    /** The request that opens case {@code i}. */
    public static UnbindRequest request(int i) {
        return UnbindRequest.builder()
                .provider(RemoteSandboxProvider.ID)
                .merchantNumber(SandboxFleet.merchantNumber(i))
                .terminalSerial(SandboxFleet.terminalSerial(i))
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .allBindings()
                .replacement(new ReplacementTerminal(SandboxFleet.replacementSerial(i), SandboxFleet.REPLACEMENT_MODEL,
                        Optional.of(SandboxFleet.newSettlementAccount(i))))
                .requestedBy(OPERATOR)
                .documents(documents(i))
                .build();
    }

    /** Every document case {@code i} needs. */
    public static List<Document> documents(int i) {
        return List.of(
                new Document.BusinessLicence(SandboxFleet.unifiedSocialCreditCode(i), SandboxFleet.merchantName(i)),
                new Document.TerminalInformation(SandboxFleet.terminalSerial(i), SandboxFleet.TERMINAL_MODEL),
                new Document.SettlementAccountProof(SandboxFleet.settlementAccount(i)),
                new Document.FileReference(DocumentKind.TRAINING_MATERIAL, "docs/a920pro-training.pdf",
                        TRAINING_SHA256));
    }

    /** The fleet index of a terminal serial, or -1 when it is not a fleet terminal. */
    public static int indexOfTerminal(String terminalSerial) {
        if (terminalSerial.length() != 10 || !terminalSerial.startsWith("82")) {
            return -1;
        }
        try {
            return Integer.parseInt(terminalSerial.substring(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
