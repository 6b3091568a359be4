package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.StepHandler.require;

import io.posunbind.BindingKind;
import io.posunbind.CoreErrorCode;
import io.posunbind.ReplacementTerminal;
import io.posunbind.StepKind;
import io.posunbind.internal.engine.ProviderOperations.Operation;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.TerminalSetup;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The replacement terminal's steps: set up, software update, a test transaction of one minor unit and its
 * void. Each is one provider operation through {@link ProviderOperations}. Thread-safe.
 */
final class ReplacementSteps {

    /** The smallest test transaction: one minor unit, voided right after. */
    private static final long TEST_TRANSACTION_MINOR_UNITS = 1;

    private final ProviderOperations operations;

    ReplacementSteps(ProviderOperations operations) {
        this.operations = operations;
    }

    /** Registers one handler per step kind this class carries out. */
    void register(StepHandlers.Registry registry) {
        registry.add(StepKind.SET_UP_REPLACEMENT, this::setUpReplacement);
        registry.add(StepKind.UPDATE_REPLACEMENT_SOFTWARE, (document, step, provider, checkpoint) -> setupOperation(
                document, step, provider, checkpoint, OperationKind.UPDATE_TERMINAL_SOFTWARE, Map.of(),
                (adapter, context) -> adapter.updateSoftware(context, replacement(document).serialNumber())));
        registry.add(StepKind.RUN_TEST_TRANSACTION, this::runTestTransaction);
        registry.add(StepKind.VOID_TEST_TRANSACTION, this::voidTestTransaction);
    }

    private StepResult voidTestTransaction(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        if (document.testTransactionReference == null) {
            // The provider answered that a test transaction does not apply: nothing to void.
            return new StepResult.Skipped(CoreErrorCode.OPERATION_NOT_APPLICABLE.code(), "no test transaction was run");
        }
        return setupOperation(document, step, provider, checkpoint, OperationKind.VOID_TEST_TRANSACTION,
                Map.of("testTransaction", String.valueOf(document.testTransactionReference)),
                (adapter, context) -> adapter.voidTestTransaction(context, replacement(document).serialNumber(),
                        document.testTransactionReference));
    }

    private StepResult setUpReplacement(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        ReplacementTerminal replacement = replacement(document);
        Optional<SettlementAccount> account = replacement.settlementAccount();
        if (account.isEmpty() && !document.request.includes(BindingKind.ACCOUNT)) {
            account = Optional.ofNullable(document.settlementAccount);
        }
        String merchantName = document.merchantInfo != null ? document.merchantInfo.name()
                : document.documents.stream().map(ReplacementSteps::registeredName).flatMap(Optional::stream).findFirst()
                        .orElse(document.request.merchantNumber());
        TerminalSetup setup = new TerminalSetup(replacement.serialNumber(), replacement.model(),
                document.request.merchantNumber(), merchantName, account);
        return setupOperation(document, step, provider, checkpoint, OperationKind.SET_UP_TERMINAL,
                Map.of("model", replacement.model()), (adapter, context) -> adapter.setUpTerminal(context, setup));
    }

    /** The merchant's registered name on its licence or registration, if the document is one. */
    private static Optional<String> registeredName(Document document) {
        if (document instanceof Document.BusinessLicence licence) {
            return Optional.of(licence.merchantName());
        }
        if (document instanceof Document.BusinessRegistration registration) {
            return Optional.of(registration.merchantName());
        }
        return Optional.empty();
    }

    private StepResult runTestTransaction(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint) {
        TerminalSetupAdapter adapter = require(provider.terminalSetupAdapter(), "terminal set-up");
        String serial = replacement(document).serialNumber();
        Money amount = new Money(TEST_TRANSACTION_MINOR_UNITS, currencyOf(document));
        Operation operation = operations.operate(document, step, provider, adapter, OperationKind.RUN_TEST_TRANSACTION,
                checkpoint, false, OperationTarget.terminal(document.request.merchantNumber(), serial),
                Map.of("amountMinorUnits", String.valueOf(amount.minorUnits()),
                        "currency", amount.currency().getCurrencyCode()),
                context -> adapter.runTestTransaction(context, serial, amount));
        if (operation.result() != null) {
            return operation.result();
        }
        document.testTransactionReference = operation.providerReference();
        return new StepResult.Done("test transaction " + operation.providerReference() + " of " + amount + " approved");
    }

    private static Currency currencyOf(CaseDocument document) {
        return document.feeQuote != null ? document.feeQuote.total().currency() : Currency.getInstance("CNY");
    }

    @FunctionalInterface
    private interface SetupCall {
        OperationOutcome call(TerminalSetupAdapter adapter, OperationContext context);
    }

    private StepResult setupOperation(CaseDocument document, StepRecord step, PaymentProvider provider,
            Checkpoint checkpoint, OperationKind kind, Map<String, String> arguments, SetupCall call) {
        TerminalSetupAdapter adapter = require(provider.terminalSetupAdapter(), "terminal set-up");
        return operations.operate(document, step, provider, adapter, kind, checkpoint, false,
                OperationTarget.terminal(document.request.merchantNumber(), replacement(document).serialNumber()),
                arguments, context -> call.call(adapter, context))
                .orDone(kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " done");
    }

    private static ReplacementTerminal replacement(CaseDocument document) {
        return document.request.replacement().orElseThrow(() -> new PosUnbindException(CoreErrorCode.STORE_CORRUPT,
                "Case " + document.id + " plans a replacement step without a replacement terminal"));
    }
}
