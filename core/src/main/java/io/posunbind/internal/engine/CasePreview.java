package io.posunbind.internal.engine;

import io.posunbind.BindingKind;
import io.posunbind.ExpectedWait;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.UnbindPreview;
import io.posunbind.UnbindRequest;
import io.posunbind.WaitReason;
import io.posunbind.internal.plan.PlannedStep;
import io.posunbind.internal.plan.Planner;
import io.posunbind.internal.provider.ProviderRegistry;
import io.posunbind.internal.rules.DocumentRules;
import io.posunbind.internal.rules.InventoryRules;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.FeeQuote;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.UnsettledFunds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What opening a request would do, without changing anything: the provider is only read (inventory, fee
 * quote, limits), nothing is stored. Thread-safe.
 */
final class CasePreview {

    private final ProviderRegistry providers;
    private final Clock clock;
    private final EngineSettings settings;
    private final Planner planner;
    private final DocumentRules documentRules;
    private final StepExecutor executor;
    private final CaseOpening opening;

    CasePreview(ProviderRegistry providers, Clock clock, EngineSettings settings, Planner planner,
            DocumentRules documentRules, StepExecutor executor, CaseOpening opening) {
        this.providers = providers;
        this.clock = clock;
        this.settings = settings;
        this.planner = planner;
        this.documentRules = documentRules;
        this.executor = executor;
        this.opening = opening;
    }

    /**
     * What opening a request would do, without changing anything: the provider is only read (inventory,
     * fee quote, limits), nothing is stored.
     */
    UnbindPreview preview(UnbindRequest request) {
        Objects.requireNonNull(request, "request");
        PaymentProvider provider = providers.require(request.providerId());
        Instant now = clock.instant();
        ProviderDeclarations declared = ProviderDeclarations.read(provider, settings.documentChecklist());
        List<RuleViolation> violations = new ArrayList<>(opening.capabilityProblems(request, declared));
        List<PlannedStep> plan = new ArrayList<>(opening.planFor(request, declared));
        Terminal terminal = null;
        MerchantInfo merchantInfo = null;
        List<RuleViolation> badSerials = InventoryStep.serialShape(request, provider);
        try {
            // A serial of the wrong shape is never sent to the provider, as the SPI promises.
            if (provider.deviceAdapter().isPresent() && badSerials.isEmpty()) {
                terminal = provider.deviceAdapter().get().readTerminal(request.terminalSerial());
                violations.addAll(new InventoryRules().check(request, terminal,
                        declared.checklist()));
                if (request.includes(BindingKind.DEVICE)) {
                    int at = 0;
                    while (at < plan.size() && plan.get(at).kind() != StepKind.DISABLE_TERMINAL) {
                        at++;
                    }
                    plan.addAll(at, planner.peripheralSteps(terminal, declared.operations()));
                }
            }
            merchantInfo = provider.merchantInfoAdapter()
                    .flatMap(adapter -> adapter.readMerchantInfo(request.merchantNumber())).orElse(null);
            violations.addAll(badSerials.isEmpty() ? executor.providerLimits(request, provider, now) : badSerials);
            violations.addAll(planner.checkMerchantInfoOperation(request, terminal, merchantInfo,
                    declared.operations()));
        } catch (PosUnbindException e) {
            violations.add(new RuleViolation(e.errorCode().code(), "provider", e.getMessage()));
        }
        CaseDocument probe = new CaseDocument();
        probe.request = request;
        List<DocumentKind> extra = GateSteps.extraDocuments(probe, provider);
        Set<DocumentKind> required = EnumSet.copyOf(
                documentRules.requiredDocuments(request, declared.checklist()));
        required.addAll(extra);
        Set<DocumentKind> missing = EnumSet.noneOf(
                DocumentKind.class);
        for (DocumentKind kind : required) {
            if (request.documents().stream().noneMatch(d -> d.kind() == kind)) {
                missing.add(kind);
            }
        }
        violations.addAll(documentRules.check(request, declared.checklist(), extra, request.documents(), terminal,
                merchantInfo));
        List<ExpectedWait> waits = new ArrayList<>();
        Optional<FeeQuote> fees = Optional.empty();
        try {
            if (provider.feeQuoteAdapter().isPresent()) {
                fees = Optional.of(provider.feeQuoteAdapter().get().quoteFees(request.merchantNumber(),
                        request.terminalSerial(),
                        request.scope().stream().map(Enum::name).collect(Collectors.toSet())));
                if (fees.get().chargesMerchant()) {
                    waits.add(new ExpectedWait(StepKind.AGREE_FEES, WaitReason.FEE_CONSENT,
                            "the merchant agrees to " + fees.get().total() + " before any fee is incurred"));
                }
            }
            InstitutionApproval approval = declared.approval();
            if (approval != InstitutionApproval.NOT_NEEDED) {
                waits.add(new ExpectedWait(StepKind.OBTAIN_INSTITUTION_APPROVAL,
                        WaitReason.INSTITUTION_DECISION, approval == InstitutionApproval.BY_ADAPTER
                                ? "the institution reviews the application, typically 1 to 3 working days; it lapses"
                                        + " after " + settings.approvalDeadline().toDays() + " days"
                                : "apply to the institution outside posunbind and record its decision"));
            }
            if (provider.accountAdapter().isPresent()) {
                UnsettledFunds funds = provider.accountAdapter().get()
                        .readUnsettledFunds(request.merchantNumber(), request.terminalSerial());
                if (!funds.settled()) {
                    waits.add(new ExpectedWait(StepKind.AWAIT_SETTLEMENT, WaitReason.SETTLEMENT,
                            funds.amount() + " unsettled, " + funds.inFlightTransactions() + " in flight; expected by "
                                    + funds.expectedSettlementTime().map(Object::toString).orElse("the next settlement")));
                }
            }
            if (provider.verificationAdapter().isPresent() && request.includes(BindingKind.ACCOUNT)
                    && provider.verificationAdapter().get().demandFor(OperationKind
                            .UNBIND_SETTLEMENT_ACCOUNT, request.merchantNumber()).isPresent()) {
                waits.add(new ExpectedWait(StepKind.UNBIND_SETTLEMENT_ACCOUNT, WaitReason.VERIFICATION,
                        "the merchant answers a verification challenge before the account changes"));
            }
        } catch (PosUnbindException e) {
            violations.add(new RuleViolation(e.errorCode().code(), "provider", e.getMessage()));
        }
        List<StepSnapshot> steps = new ArrayList<>();
        int number = 1;
        for (PlannedStep planned : plan) {
            // A step the provider does not offer is shown skipped, with why, as the case would record it.
            steps.add(new StepSnapshot(number++, planned.kind(), planned.target(),
                    planned.skip().isPresent() ? StepStatus.SKIPPED : StepStatus.PLANNED, 0, Optional.empty(),
                    planned.skip().map(skip -> skip.code().code()), planned.skip().map(PlannedStep.Skip::reason)));
        }
        return new UnbindPreview(request, steps, required, missing, violations, fees, waits);
    }
}
