package io.posunbind.provider.adyen;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.posunbind.provider.adyen.AdyenTesting.SHOP;
import static io.posunbind.provider.adyen.AdyenTesting.context;
import static io.posunbind.provider.adyen.AdyenTesting.device;
import static io.posunbind.provider.adyen.AdyenTesting.unbind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the adapter sends to Adyen's Management API, read from the stub's request journal. */
class WhatTheAdapterSendsToAdyenTest {

    private final AdyenManagementStub stub = new AdyenManagementStub();
    private final PaymentProvider provider = AdyenTesting.provider(stub);
    private final DeviceUnbindAdapter device = device(provider);

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void unbindingReassignsTheTerminalToTheMerchantsInventoryUnderTheEnginesKeyWithTheApiKey() {
        String serial = stub.seedBoardedTerminal(SHOP);
        String terminalId = stub.terminalIdOf(serial);
        SentOperation operation = unbind(device, "order-4711.UNBIND_TERMINAL.1", SHOP, serial);

        OperationOutcome outcome = device.unbindTerminal(context(operation), serial);

        assertEquals(new OperationOutcome.Done(terminalId, Map.of("assignment", "inventory")), outcome);
        stub.wireMock().verify(1, postRequestedFor(urlEqualTo("/v3/terminals/" + terminalId + "/reassign"))
                .withHeader("Idempotency-Key", equalTo("order-4711.UNBIND_TERMINAL.1"))
                .withHeader("x-api-key", equalTo(AdyenManagementStub.API_KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"merchantId\":\"" + SHOP + "\",\"inventory\":true}")));
        assertEquals("inventory", stub.assignmentOf(serial).get("status").asText());
        assertEquals(SHOP, stub.assignmentOf(serial).get("merchantId").asText());
    }

    @Test
    void theNoteKeptBeforeTheReassignmentNamesTheTerminalAndWhereItWasAndTheReassignmentNeedsNoSecondRead() {
        String serial = stub.seedBoardedTerminal(SHOP);
        SentOperation operation = unbind(device, "order-4712.UNBIND_TERMINAL.1", SHOP, serial);
        assertEquals(Optional.of("terminal=" + stub.terminalIdOf(serial) + ";status=boarded;merchant=" + SHOP
                + ";store=ST3224Z223225T5JQTRDD7CRZ"), operation.adapterNote());
        stub.wireMock().resetRequests();

        device.unbindTerminal(context(operation), serial);

        // One POST and one read of where the terminal is now; the terminal's id came from the note.
        stub.wireMock().verify(1, postRequestedFor(urlPathEqualTo("/v3/terminals/" + stub.terminalIdOf(serial)
                + "/reassign")));
        stub.wireMock().verify(1, getRequestedFor(urlPathEqualTo("/v3/terminals")));
    }

    @Test
    void withTheCompanyInventoryAsTargetTheTerminalGoesBackToTheCompanyAccount() {
        Map<String, String> settings = AdyenTesting.settings(stub);
        settings.put("reassign-to", "company-inventory");
        settings.put("company-id", AdyenManagementStub.COMPANY);
        DeviceUnbindAdapter companyDevice = device(AdyenTesting.provider(settings));
        String serial = stub.seedBoardedTerminal(SHOP);

        OperationOutcome outcome = companyDevice.unbindTerminal(
                context(unbind(companyDevice, "order-4713.UNBIND_TERMINAL.1", SHOP, serial)), serial);

        assertInstanceOf(OperationOutcome.Done.class, outcome);
        stub.wireMock().verify(1, postRequestedFor(urlPathEqualTo("/v3/terminals/" + stub.terminalIdOf(serial)
                + "/reassign")).withRequestBody(equalToJson("{\"companyId\":\"" + AdyenManagementStub.COMPANY + "\"}")));
        assertFalse(stub.assignmentOf(serial).has("merchantId"), "back at the company, at no merchant");
    }

    @Test
    void aBoardedTerminalThatMustSynchroniseFirstIsPendingUnderItsIdWithANoteForOperators() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.holdNextAsPending(OperationKind.UNBIND_TERMINAL);

        OperationOutcome outcome = device.unbindTerminal(context(unbind(device, "order-4714.UNBIND_TERMINAL.1",
                SHOP, serial)), serial);

        OperationOutcome.Pending pending = assertInstanceOf(OperationOutcome.Pending.class, outcome);
        assertEquals(Optional.of(stub.terminalIdOf(serial)), pending.providerReference());
        assertEquals(Duration.ofMinutes(1), pending.pollAfter());
        assertTrue(pending.operatorNote().orElseThrow().english().contains("switched on"));
        assertEquals("reassignmentInProgress", stub.assignmentOf(serial).get("status").asText());
    }

    @Test
    void readingATerminalSearchesAdyenByItsSerialWithoutDashesAndShowsItsAssignment() {
        String serial = stub.seedBoardedTerminal(SHOP);

        Terminal terminal = device.readTerminal(serial);

        stub.wireMock().verify(1, getRequestedFor(urlPathEqualTo("/v3/terminals"))
                .withQueryParam("searchQuery", equalTo(serial.replace("-", "")))
                .withHeader("x-api-key", equalTo(AdyenManagementStub.API_KEY)));
        assertEquals(new Terminal(serial, "V400m", TerminalStatus.ACTIVE, List.of(SHOP),
                Optional.of("ST3224Z223225T5JQTRDD7CRZ"), List.of()), terminal);
    }

    @Test
    void theBackupHoldsTheTerminalsSettingsButNoneOfItsPasscodesKeysOrPasswords() {
        String serial = stub.seedBoardedTerminal(SHOP);

        TerminalDataExport export = device.exportTerminalData(serial);

        stub.wireMock().verify(1, getRequestedFor(urlEqualTo("/v3/terminals/" + stub.terminalIdOf(serial)
                + "/terminalSettings")));
        Map<String, String> settings = export.settings();
        assertEquals("Shop-WiFi", settings.get("terminalSettings.wifiProfiles.profiles[0].ssid"));
        assertEquals("5%", settings.get("terminalSettings.gratuities[0].predefinedTipEntries[2]"));
        assertEquals("https://pos.example.cn/events", settings.get("terminalSettings.nexo.eventUrls.eventLocalUrls[0].url"));
        assertEquals("boarded", settings.get("terminal.assignment.status"));
        assertEquals("V400m", settings.get("terminal.model"));
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            assertFalse(setting.getValue().contains("never-exported"), "a credential in the backup: " + setting.getKey());
            assertFalse(Set.of("1357", "2468", "9876", "1111").contains(setting.getValue()),
                    "a passcode in the backup: " + setting.getKey());
        }
        assertEquals(List.of(), export.usageRecords(), "the Management API keeps no transactions");
    }

    @Test
    void disablingAndDecommissioningAreNotApplicableAndSendNothing() {
        String serial = stub.seedBoardedTerminal(SHOP);
        SentOperation operation = SentOperation.of(new IdempotencyKey("order-4715.DISABLE_TERMINAL.1"),
                OperationKind.DISABLE_TERMINAL, OperationTarget.terminal(SHOP, serial), Map.of(),
                Instant.parse("2026-12-01T08:00:00Z"));
        stub.wireMock().resetRequests();

        assertInstanceOf(OperationOutcome.NotApplicable.class, device.disableTerminal(context(operation), serial));
        assertInstanceOf(OperationOutcome.NotApplicable.class, device.decommissionTerminal(context(operation), serial));
        assertEquals(Set.of(OperationKind.UNBIND_TERMINAL), provider.supportedOperations());
        assertEquals(0, stub.wireMock().getAllServeEvents().size());
    }
}
