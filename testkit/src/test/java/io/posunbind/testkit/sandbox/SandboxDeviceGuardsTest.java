package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Money;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxDeviceGuardsTest {

    private final SandboxFixture sandbox = new SandboxFixture();

    @Test
    void theInventoryShowsTheDemoTerminalWithItsPeripheralsAndMerchant() {
        Terminal terminal = sandbox.devices.readTerminal(TERMINAL_SERIAL);

        assertEquals(TerminalStatus.ACTIVE, terminal.status());
        assertEquals(List.of(MERCHANT_NUMBER), terminal.boundMerchantNumbers());
        assertEquals(Optional.of(SandboxDemoData.STORE_ID), terminal.storeId());
        assertEquals(List.of(PeripheralKind.PRINTER, PeripheralKind.SCANNER),
                terminal.peripherals().stream().map(Peripheral::kind).toList());
    }

    @Test
    void theBackupExportCarriesUsageRecordsAndSettings() {
        TerminalDataExport export = sandbox.devices.exportTerminalData(TERMINAL_SERIAL);

        assertEquals(4, export.usageRecords().size());
        assertEquals("SBX-OS 3.1.0", export.settings().get("softwareVersion"));
    }

    @Test
    void anUnknownTerminalIsNotFound() {
        ProviderException error = assertThrows(ProviderException.class, () -> sandbox.devices.readTerminal("nope"));
        assertEquals(StandardErrorCode.TERMINAL_NOT_FOUND, error.errorCode());
        assertRejected(StandardErrorCode.TERMINAL_NOT_FOUND,
                sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-nope"), "nope"));
    }

    @Test
    void anActiveTerminalCannotBeUnbound() {
        assertRejected(StandardErrorCode.TERMINAL_ACTIVE,
                sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unbind"), TERMINAL_SERIAL));
        assertEquals(TerminalStatus.ACTIVE, sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow().status());
    }

    @Test
    void onlyAnActiveTerminalCanBeDisabled() {
        sandbox.backend.addReplacementTerminal("1170000009", "PAX A920Pro");

        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-dis-new"), "1170000009"));
    }

    @Test
    void peripheralsAreUnboundOneByOneAndBeforeTheTerminal() {
        assertDone(sandbox.devices.disableTerminal(context(OperationKind.DISABLE_TERMINAL, "k-dis"), TERMINAL_SERIAL));
        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT,
                sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unb-1"), TERMINAL_SERIAL));

        assertDone(sandbox.devices.unbindPeripheral(context(OperationKind.UNBIND_PERIPHERAL, "k-prl-1"),
                TERMINAL_SERIAL, sandbox.printer()));

        assertEquals(List.of(PeripheralKind.SCANNER), sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow()
                .peripherals().stream().map(Peripheral::kind).toList());
    }

    @Test
    void aPeripheralThatIsNotBoundCannotBeUnbound() {
        Peripheral stranger = new Peripheral("PRL-X", PeripheralKind.PIN_PAD, "X");

        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.devices.unbindPeripheral(
                context(OperationKind.UNBIND_PERIPHERAL, "k-prl-x"), TERMINAL_SERIAL, stranger));
    }

    @Test
    void theWholeDeviceUnbindInTheEnginesOrderLeavesTheTerminalDecommissioned() {
        sandbox.unbindPeripheralsAndDisable();
        assertDone(sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unb"), TERMINAL_SERIAL));
        assertDone(sandbox.devices.decommissionTerminal(context(OperationKind.DECOMMISSION_TERMINAL, "k-dec"),
                TERMINAL_SERIAL));

        Terminal terminal = sandbox.backend.terminals().terminal(TERMINAL_SERIAL).orElseThrow();
        assertEquals(TerminalStatus.DECOMMISSIONED, terminal.status());
        assertTrue(terminal.boundMerchantNumbers().isEmpty());
        assertEquals(Optional.empty(), terminal.storeId());
        assertEquals(5, sandbox.backend.requests().effects().size());
    }

    @Test
    void onlyAnUnboundTerminalCanBeDecommissioned() {
        assertRejected(StandardErrorCode.TERMINAL_ACTIVE, sandbox.devices.decommissionTerminal(
                context(OperationKind.DECOMMISSION_TERMINAL, "k-dec-1"), TERMINAL_SERIAL));
        sandbox.unbindPeripheralsAndDisable();
        assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, sandbox.devices.decommissionTerminal(
                context(OperationKind.DECOMMISSION_TERMINAL, "k-dec-2"), TERMINAL_SERIAL));
    }

    @Test
    void aTerminalWithFundsInFlightIsNotUnbound() {
        sandbox.unbindPeripheralsAndDisable();
        sandbox.backend.settlement().setUnsettledFunds(MERCHANT_NUMBER, TERMINAL_SERIAL, Money.cny(0), 1);

        assertRejected(StandardErrorCode.FUNDS_UNSETTLED,
                sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unb"), TERMINAL_SERIAL));
    }

    @Test
    void aTestCanSeedAnIllegalTerminalServingTwoMerchants() {
        sandbox.backend.addMerchant("898310058120002", "上海示例咖啡有限公司", "91310000MA1FL4B24G", "李娜")
                .bindTerminalToMerchant(TERMINAL_SERIAL, "898310058120002");

        assertEquals(List.of(MERCHANT_NUMBER, "898310058120002"),
                sandbox.devices.readTerminal(TERMINAL_SERIAL).boundMerchantNumbers());
    }
}
