package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxAnswers.merchantNotFound;
import static io.posunbind.testkit.sandbox.SandboxAnswers.rejected;
import static io.posunbind.testkit.sandbox.SandboxAnswers.terminalNotFound;

import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.InstitutionDecision;
import io.posunbind.spi.model.UnbindApplication;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox institution's application desk (解绑申请). It checks what a clerk checks on receipt
 * (the merchant exists under that name, the terminal is the merchant's), then answers {@code Pending}
 * with the application reference; the decision follows the backend's {@link CompletionPolicy} or a test's
 * {@link SandboxReviews#decide}. Thread-safe through the backend's lock.
 */
final class SandboxApplicationAdapter implements InstitutionApplicationAdapter {

    private final AdapterGateway acquirer;

    SandboxApplicationAdapter(SandboxBackend backend) {
        this.acquirer = backend.gateway();
    }

    @Override
    public OperationOutcome submitApplication(OperationContext context, UnbindApplication application) {
        Objects.requireNonNull(application, "application");
        return acquirer.execute(context, OperationKind.SUBMIT_APPLICATION, List.of(application),
                () -> List.of(application.merchantNumber()), record -> {
            String merchantNumber = application.merchantNumber();
            Optional<MerchantState> merchant = acquirer.world().merchantState(merchantNumber);
            if (merchant.isEmpty()) {
                return merchantNotFound(merchantNumber);
            }
            if (!merchant.get().name.equals(application.merchantName())) {
                return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-MERCHANT-NAME-MISMATCH",
                        "The application names the merchant '" + application.merchantName()
                                + "' but merchant " + merchantNumber + " is registered as '" + merchant.get().name + "'");
            }
            String serial = application.terminalSerial();
            Optional<TerminalState> terminal = acquirer.world().terminalState(serial);
            if (terminal.isEmpty()) {
                return terminalNotFound(serial);
            }
            if (!terminal.get().boundTo(merchantNumber) && !merchant.get().registeredTerminals.contains(serial)) {
                return rejected(StandardErrorCode.INVALID_REQUEST, "SBX-TERMINAL-NOT-MERCHANTS",
                        "Terminal " + serial + " does not belong to merchant " + merchantNumber);
            }
            return acquirer.acceptApplication(record, application);
        });
    }

    @Override
    public Optional<InstitutionDecision> readDecision(String applicationReference) {
        Objects.requireNonNull(applicationReference, "applicationReference");
        return acquirer.read("readDecision", () -> acquirer.pollDecision(applicationReference));
    }

    @Override
    public Optional<OperationOutcome> lookup(SentOperation reference) {
        return acquirer.lookup(reference);
    }
}
