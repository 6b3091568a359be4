package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.posunbind.spi.AccountUnbindAdapter;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.InstitutionApplicationAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.TerminalSetupAdapter;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.UnbindApplication;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fresh demo sandbox on a clock that only moves when told, and shorthands for the tests. */
final class SandboxFixture {

    static final String CASE_ID = "case-0001";

    final SandboxClock clock = SandboxClock.at(Instant.parse("2025-03-03T01:00:00Z"));
    final SandboxProvider provider = SandboxProvider.withDemoData(clock);
    final SandboxBackend backend = provider.backend();
    final DeviceUnbindAdapter devices = provider.deviceAdapter().orElseThrow();
    final AccountUnbindAdapter accounts = provider.accountAdapter().orElseThrow();
    final MerchantInfoAdapter merchantInfo = provider.merchantInfoAdapter().orElseThrow();
    final InstitutionApplicationAdapter applications = provider.applicationAdapter().orElseThrow();
    final TerminalSetupAdapter setup = provider.terminalSetupAdapter().orElseThrow();

    static OperationContext context(OperationKind kind, String key) {
        return OperationContext.of(SentOperation.of(new IdempotencyKey(key), kind,
                OperationTarget.terminal(MERCHANT_NUMBER, TERMINAL_SERIAL), Map.of(), Instant.EPOCH), CASE_ID);
    }

    /** An operation as the engine would have persisted it, for a lookup. */
    static SentOperation sent(String key, OperationKind kind, Optional<String> providerReference) {
        return context(kind, key).operation().withProviderReference(providerReference);
    }

    static IdempotencyKey key(String key) {
        return new IdempotencyKey(key);
    }

    static OperationOutcome.Done assertDone(OperationOutcome outcome) {
        return assertInstanceOf(OperationOutcome.Done.class, outcome, () -> "expected done, got " + outcome);
    }

    static OperationOutcome.Pending assertPending(OperationOutcome outcome) {
        return assertInstanceOf(OperationOutcome.Pending.class, outcome, () -> "expected pending, got " + outcome);
    }

    static OperationOutcome.Rejected assertRejected(ErrorCode code, OperationOutcome outcome) {
        OperationOutcome.Rejected rejected = assertInstanceOf(OperationOutcome.Rejected.class, outcome,
                () -> "expected rejected " + code.code() + ", got " + outcome);
        assertEquals(code, rejected.code(), () -> "wrong code in " + outcome);
        return rejected;
    }

    Peripheral printer() {
        return peripheral(SandboxDemoData.PRINTER_SERIAL);
    }

    Peripheral scanner() {
        return peripheral(SandboxDemoData.SCANNER_SERIAL);
    }

    private Peripheral peripheral(String serial) {
        return backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().peripherals().stream()
                .filter(peripheral -> peripheral.serialNumber().equals(serial))
                .findFirst().orElseThrow();
    }

    /** Unbinds both peripherals and disables the demo terminal, the steps before unbinding it. */
    void unbindPeripheralsAndDisable() {
        assertDone(devices.unbindPeripheral(context(OperationKind.UNBIND_PERIPHERAL, "prl-1"), TERMINAL_SERIAL,
                printer()));
        assertDone(devices.unbindPeripheral(context(OperationKind.UNBIND_PERIPHERAL, "prl-2"), TERMINAL_SERIAL,
                scanner()));
        assertDone(devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "dis-1"), TERMINAL_SERIAL));
    }

    static UnbindApplication application(String reason) {
        return new UnbindApplication(CASE_ID, MERCHANT_NUMBER, SandboxDemoData.MERCHANT_NAME, TERMINAL_SERIAL,
                reason, List.of(new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE,
                        SandboxDemoData.MERCHANT_NAME)));
    }
}
