package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;

/**
 * A document submitted for an unbind case. Each kind has its own record so its fields are typed and
 * sensitive numbers stay masked.
 */
@API(status = API.Status.STABLE, since = "2.0")
public sealed interface Document {

    /** What kind of document this is. */
    DocumentKind kind();

    /**
     * The business licence.
     *
     * @param unifiedSocialCreditCode the 18-character code (统一社会信用代码)
     * @param merchantName            the name on the licence
     */
    record BusinessLicence(String unifiedSocialCreditCode, String merchantName) implements Document {
        /** Checks the fields. */
        public BusinessLicence {
            Objects.requireNonNull(unifiedSocialCreditCode, "unifiedSocialCreditCode");
            Objects.requireNonNull(merchantName, "merchantName");
        }

        @Override
        public DocumentKind kind() {
            return DocumentKind.BUSINESS_LICENCE;
        }
    }

    /**
     * A business's registration outside China (a Dutch KvK extract, a UK Companies House number): a
     * {@link DocumentKind#BUSINESS_LICENCE} document whose number is not a unified social credit code. A
     * {@link DocumentChecklist} with the {@link DocumentChecklist.Check#UNIFIED_SOCIAL_CREDIT_CODE} check (the
     * Chinese profile) refuses it and asks for a {@link BusinessLicence}. Since SPI 2.0.
     *
     * @param registrationNumber the number in the registry of the business's own jurisdiction
     * @param merchantName       the registered name
     */
    record BusinessRegistration(String registrationNumber, String merchantName) implements Document {
        /** Checks the fields. */
        public BusinessRegistration {
            Objects.requireNonNull(registrationNumber, "registrationNumber");
            Objects.requireNonNull(merchantName, "merchantName");
        }

        @Override
        public DocumentKind kind() {
            return DocumentKind.BUSINESS_LICENCE;
        }
    }

    /**
     * The current terminal's identification.
     *
     * @param serialNumber its serial number
     * @param model        its model
     */
    record TerminalInformation(String serialNumber, String model) implements Document {
        /** Checks the fields. */
        public TerminalInformation {
            Objects.requireNonNull(serialNumber, "serialNumber");
            Objects.requireNonNull(model, "model");
        }

        @Override
        public DocumentKind kind() {
            return DocumentKind.TERMINAL_INFORMATION;
        }
    }

    /**
     * Proof of the settlement account.
     *
     * @param account the account
     */
    record SettlementAccountProof(SettlementAccount account) implements Document {
        /** Checks the field. */
        public SettlementAccountProof {
            Objects.requireNonNull(account, "account");
        }

        @Override
        public DocumentKind kind() {
            return DocumentKind.SETTLEMENT_ACCOUNT;
        }
    }

    /**
     * A reference to a stored document file (usage export, training material, loss report, agreement).
     *
     * @param kind      which kind it is
     * @param reference where the caller keeps it (a file name, a document-store id)
     * @param sha256Hex the file's SHA-256, so the record proves which file was meant
     */
    record FileReference(DocumentKind kind, String reference, String sha256Hex) implements Document {
        /** Checks the fields. */
        public FileReference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(sha256Hex, "sha256Hex");
        }
    }

    /**
     * The legal representative's identity.
     *
     * @param name           the representative's name
     * @param identityNumber the identity number, masked whenever shown
     */
    record LegalRepresentativeIdentity(String name, IdentityNumber identityNumber) implements Document {
        /** Checks the fields. */
        public LegalRepresentativeIdentity {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(identityNumber, "identityNumber");
        }

        @Override
        public DocumentKind kind() {
            return DocumentKind.LEGAL_REPRESENTATIVE_IDENTITY;
        }
    }
}
