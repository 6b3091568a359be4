package io.posunbind.internal.engine;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.ProviderCapability;
import io.posunbind.spi.model.DocumentChecklist;
import java.util.Optional;
import java.util.Set;

/**
 * What a provider declares about itself (its capabilities, the operations it offers, where approval
 * happens, its document checklist), read once through the {@link AdapterGuard}: the declarations are the
 * provider's code like any other, and one that throws or answers null must not reach the caller of
 * {@code open} or {@code preview} as an uncoded exception.
 *
 * @param checklist the application's checklist when it set one, else the provider's
 */
record ProviderDeclarations(Set<ProviderCapability> capabilities, Set<OperationKind> operations,
        InstitutionApproval approval, DocumentChecklist checklist) {

    /**
     * Reads the provider's declarations.
     *
     * @throws PosUnbindException with {@link CoreErrorCode#PROVIDER_DECLARATION_INVALID} when the provider's
     *                            code throws uncoded or answers null (also inside a set)
     */
    static ProviderDeclarations read(PaymentProvider provider, Optional<DocumentChecklist> applicationChecklist) {
        PaymentProvider guarded = AdapterGuard.guard(provider);
        try {
            return new ProviderDeclarations(Set.copyOf(guarded.capabilities()), Set.copyOf(
                    guarded.supportedOperations()), guarded.institutionApproval(),
                    applicationChecklist.isPresent() ? applicationChecklist.get() : guarded.documentChecklist());
        } catch (AdapterGuard.AdapterFailure | NullPointerException e) {
            // NullPointerException: Set.copyOf refuses a null element, which the SPI does not allow either.
            throw new PosUnbindException(CoreErrorCode.PROVIDER_DECLARATION_INVALID, "Provider " + provider.id()
                    + " could not declare what it offers: " + AdapterGuard.describe(e)
                    + ". Fix the adapter; nothing was opened");
        }
    }
}
