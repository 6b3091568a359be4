package io.posunbind.spring.boot;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.spi.model.Document;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import io.posunbind.testkit.sandbox.SandboxProvider;
import java.util.List;

/** The sandbox merchant's device unbind, with every document it needs: the case the context tests open. */
final class SandboxCases {

    private SandboxCases() {
    }

    static UnbindRequest deviceUnbind() {
        return UnbindRequest.builder()
                .provider(SandboxProvider.ID)
                .merchantNumber(SandboxDemoData.MERCHANT_NUMBER)
                .terminalSerial(SandboxDemoData.TERMINAL_SERIAL)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .scope(BindingKind.DEVICE)
                .requestedBy(Actor.operator("operator:li.na"))
                .documents(List.of(
                        new Document.BusinessLicence(SandboxDemoData.UNIFIED_SOCIAL_CREDIT_CODE,
                                SandboxDemoData.MERCHANT_NAME),
                        new Document.TerminalInformation(SandboxDemoData.TERMINAL_SERIAL,
                                SandboxDemoData.TERMINAL_MODEL)))
                .build();
    }
}
