package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertRejected;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.OperationKind;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.MerchantInfo;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxMerchantInfoTest {

    private final SandboxFixture sandbox = new SandboxFixture();

    @Test
    void merchantInfoCountsActiveTerminals() {
        MerchantInfo info = sandbox.merchantInfo.readMerchantInfo(MERCHANT_NUMBER).orElseThrow();

        assertEquals(SandboxDemoData.MERCHANT_NAME, info.name());
        assertEquals(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE, info.unifiedSocialCreditCode());
        assertEquals(SandboxDemoData.LEGAL_REPRESENTATIVE_NAME, info.legalRepresentativeName());
        assertEquals(1, info.activeTerminalCount());
        assertEquals(Optional.empty(), sandbox.merchantInfo.readMerchantInfo("000"));
    }

    @Test
    void aMerchantWithAnActiveTerminalCannotBeDeleted() {
        assertRejected(StandardErrorCode.MERCHANT_HAS_ACTIVE_TERMINALS, sandbox.merchantInfo.deleteMerchantInfo(
                context(OperationKind.DELETE_MERCHANT_INFO, "k-del"), MERCHANT_NUMBER));
        assertTrue(sandbox.backend.merchants().merchant(MERCHANT_NUMBER).isPresent());
    }

    @Test
    void aMerchantWhoseTerminalIsOnlyDisabledStillCannotBeDeleted() {
        sandbox.unbindPeripheralsAndDisable();

        assertRejected(StandardErrorCode.MERCHANT_HAS_ACTIVE_TERMINALS, sandbox.merchantInfo.deleteMerchantInfo(
                context(OperationKind.DELETE_MERCHANT_INFO, "k-del"), MERCHANT_NUMBER));
    }

    @Test
    void anActiveTerminalCannotBeDetachedFromTheMerchantInfo() {
        assertRejected(StandardErrorCode.TERMINAL_ACTIVE, sandbox.merchantInfo.detachTerminal(
                context(OperationKind.MODIFY_MERCHANT_INFO, "k-detach"), MERCHANT_NUMBER, TERMINAL_SERIAL));
    }

    @Test
    void afterTheDeviceUnbindTheTerminalIsDetachedAndTheMerchantDeleted() {
        sandbox.unbindPeripheralsAndDisable();
        assertDone(sandbox.devices.unbindTerminal(context(OperationKind.UNBIND_TERMINAL, "k-unb"), TERMINAL_SERIAL));

        assertDone(sandbox.merchantInfo.detachTerminal(context(OperationKind.MODIFY_MERCHANT_INFO, "k-detach"),
                MERCHANT_NUMBER, TERMINAL_SERIAL));
        assertEquals(Set.of(), sandbox.backend.merchants().registeredTerminals(MERCHANT_NUMBER));
        assertDone(sandbox.merchantInfo.deleteMerchantInfo(context(OperationKind.DELETE_MERCHANT_INFO, "k-del"),
                MERCHANT_NUMBER));

        assertTrue(sandbox.backend.merchants().merchantDeleted(MERCHANT_NUMBER));
        assertEquals(Optional.empty(), sandbox.merchantInfo.readMerchantInfo(MERCHANT_NUMBER));
        assertRejected(StandardErrorCode.MERCHANT_NOT_FOUND, sandbox.merchantInfo.deleteMerchantInfo(
                context(OperationKind.DELETE_MERCHANT_INFO, "k-del-again"), MERCHANT_NUMBER));
    }

    @Test
    void aTerminalNotRegisteredForTheMerchantCannotBeDetached() {
        assertRejected(StandardErrorCode.INVALID_REQUEST, sandbox.merchantInfo.detachTerminal(
                context(OperationKind.MODIFY_MERCHANT_INFO, "k-detach"), MERCHANT_NUMBER,
                SandboxDemoData.REPLACEMENT_SERIAL));
    }
}
