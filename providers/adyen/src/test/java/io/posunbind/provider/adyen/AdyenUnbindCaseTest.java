package io.posunbind.provider.adyen;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.posunbind.provider.adyen.AdyenTesting.SHOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepSnapshot;
import io.posunbind.StepStatus;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.callback.CallbackVerifier;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.Document;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.store.JdbcCaseStore;
import io.posunbind.testkit.ClearNumbers;
import io.posunbind.testkit.Fault;
import io.posunbind.testkit.app.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merchant's terminal unbound at Adyen by a whole case through the {@link Unbinder} on the H2 store: the
 * terminal's settings backed up, the terminal reassigned to the merchant's inventory, the case waiting while the
 * terminal synchronises, and finished by Adyen's signed webhook or by polling; a lost answer reconciled by a
 * lookup with exactly one reassignment at Adyen.
 */
class AdyenUnbindCaseTest {

    private static final Actor OPERATOR = Actor.operator("operator:li.na");
    private static final Actor REVIEWER = Actor.operator("operator:wang.fang");

    @TempDir
    Path folder;

    private final AdyenManagementStub stub = new AdyenManagementStub();
    private final TestClock clock = TestClock.at(Instant.parse("2026-12-01T08:00:00Z"));
    private JdbcCaseStore store;
    private Unbinder unbinder;
    private String serial;

    @BeforeEach
    void openStoreAndUnbinder() {
        store = JdbcCaseStore.h2File(folder.resolve("cases"));
        unbinder = Unbinder.builder()
                .store(store)
                .clock(clock)
                .provider(AdyenTesting.provider(stub))
                .withoutDiscovery()
                .pollInterval(Duration.ofMinutes(1))
                .callbackVerifier(CallbackVerifier.builder().clock(clock).nativeNotifications("adyen").build())
                .build();
        serial = stub.seedBoardedTerminal(SHOP);
    }

    @AfterEach
    void close() {
        unbinder.close();
        store.close();
        stub.close();
    }

    @Test
    void theTerminalIsPendingWhileItSynchronisesAndAdyensSignedWebhookCompletesTheCase() {
        stub.holdNextAsPending(OperationKind.UNBIND_TERMINAL);
        CaseSnapshot waiting = openAndRun("order-4711");
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION), waiting.toString());
        assertEquals(Optional.of(stub.terminalIdOf(serial)), unbindStep(waiting).providerReference());
        assertEquals(StepStatus.DONE, waiting.steps(StepKind.BACK_UP_TERMINAL_DATA).get(0).status());

        String body = "{\"assignedToAccount\":\"" + SHOP + "\",\"eventDate\":\""
                + clock.instant().atOffset(ZoneOffset.ofHours(1)) + "\",\"pspReference\":\"SVQ2S2M4VZ8G2G82\","
                + "\"uniqueTerminalId\":\"" + stub.terminalIdOf(serial) + "\"}";
        RawCallback forged = AdyenWebhooksTest.signed(body, "AB".repeat(32));
        CallbackRejectedException refused = assertThrows(CallbackRejectedException.class,
                () -> unbinder.acceptNotification("adyen", forged));
        assertEquals(CoreErrorCode.CALLBACK_SIGNATURE_INVALID, refused.errorCode());
        assertEquals(waiting.version(), unbinder.find(waiting.id()).orElseThrow().version(), "a forgery changes nothing");

        CaseSnapshot done = unbinder.acceptNotification("adyen", AdyenWebhooksTest.signed(body, AdyenTesting.HMAC_KEY));

        assertEquals(waiting.id(), done.id(), "found by the terminal the webhook names");
        assertEquals(StepStatus.DONE, unbindStep(done).status());
        assertEquals(CaseState.COMPLETED, completed(done).state(), completed(done).toString());
        stub.wireMock().verify(1, postRequestedFor(urlPathEqualTo(reassignPath())));
    }

    @Test
    void withoutAWebhookThePollFindsTheTerminalInTheInventoryAndCompletesTheCase() {
        stub.holdNextAsPending(OperationKind.UNBIND_TERMINAL);
        CaseSnapshot waiting = openAndRun("order-4712");
        assertTrue(waiting.isWaitingFor(WaitReason.PROVIDER_OPERATION), waiting.toString());

        clock.advance(Duration.ofMinutes(2));
        unbinder.runDueWork();
        assertTrue(unbinder.find(waiting.id()).orElseThrow().isWaitingFor(WaitReason.PROVIDER_OPERATION),
                "still synchronising: still pending");

        stub.completePending();
        CaseSnapshot done = runFor(waiting.id(), Duration.ofMinutes(10));

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        assertEquals("inventory", stub.assignmentOf(serial).get("status").asText());
        stub.wireMock().verify(1, postRequestedFor(urlPathEqualTo(reassignPath())));
    }

    @Test
    void aReassignmentWhoseAnswerWasLostIsReconciledByLookupWithExactlyOneReassignmentAtAdyen() {
        stub.failNext(OperationKind.UNBIND_TERMINAL, Fault.timeout());

        CaseSnapshot done = runFor(openAndRun("order-4713").id(), Duration.ofMinutes(30));

        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        stub.wireMock().verify(1, postRequestedFor(urlPathEqualTo(reassignPath())));
        assertEquals("inventory", stub.assignmentOf(serial).get("status").asText());
    }

    @Test
    void disablingAndDecommissioningAreSkippedWithTheirReasonAndTheAccountCannotBeUnboundAtAdyen() {
        CaseSnapshot opened = openAndRun("order-4716");
        assertEquals(Set.of(StepKind.DISABLE_TERMINAL, StepKind.DECOMMISSION_TERMINAL), opened.skippedSteps().stream()
                .map(StepSnapshot::kind).filter(kind -> kind != StepKind.OBTAIN_INSTITUTION_APPROVAL
                        && kind != StepKind.INTERNAL_REVIEW && kind != StepKind.AGREE_FEES)
                .collect(Collectors.toSet()), opened.toString());

        UnbindRequest account = UnbindRequest.builder().provider("adyen").merchantNumber(SHOP)
                .terminalSerial(stub.seedBoardedTerminal(SHOP)).reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .scope(BindingKind.DEVICE, BindingKind.ACCOUNT).requestedBy(OPERATOR)
                .documents(new Document.BusinessRegistration("KVK-69599084", "Adyen Shop CN")).build();
        stub.wireMock().resetRequests();
        PosUnbindException refused = assertThrows(PosUnbindException.class,
                () -> unbinder.open(CaseId.of("order-4717"), account));
        assertTrue(refused.getMessage().contains("scope.ACCOUNT"), refused.getMessage());
        stub.wireMock().verify(0, postRequestedFor(urlPathEqualTo(reassignPath())));
    }

    @Test
    void neitherTheApiKeyNorTheWebhookKeyIsEverWrittenToTheLog() {
        List<String> console = ClearNumbers.writtenWhile(() -> {
            stub.holdNextAsPending(OperationKind.UNBIND_TERMINAL);
            CaseSnapshot waiting = runFor(openAndRun("order-4714").id(), Duration.ofMinutes(2));
            System.out.println(unbinder.acceptNotification("adyen", AdyenWebhooksTest.signed("{\"assignedToAccount\":\""
                    + SHOP + "\",\"eventDate\":\"" + clock.instant() + "\",\"pspReference\":\"SVQ2S2M4VZ8G2G83\","
                    + "\"uniqueTerminalId\":\"" + stub.terminalIdOf(serial) + "\"}", AdyenTesting.HMAC_KEY)));
            // A second case whose terminal cannot be read: Adyen refuses the credential.
            serial = stub.seedBoardedTerminal(SHOP);
            stub.answerNextRead(401, "00_401", Optional.empty());
            System.out.println(runFor(openAndRun("order-4715").id(), Duration.ofMinutes(2)));
            System.out.println(unbinder.find(waiting.id()).orElseThrow());
        });
        assertTrue(!console.isEmpty(), "the engine logs the case's progress");
        assertEquals(List.of(), ClearNumbers.in(console, Set.of(AdyenManagementStub.API_KEY, AdyenTesting.HMAC_KEY,
                AdyenTesting.PREVIOUS_HMAC_KEY)));
    }

    private CaseSnapshot openAndRun(String caseId) {
        UnbindRequest request = UnbindRequest.builder()
                .provider("adyen")
                .merchantNumber(SHOP)
                .terminalSerial(serial)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
                .scope(BindingKind.DEVICE)
                .requestedBy(OPERATOR)
                .documents(new Document.BusinessRegistration("KVK-69599084", "Adyen Shop CN"))
                .build();
        CaseSnapshot snapshot = unbinder.open(CaseId.of(caseId), request);
        if (snapshot.isWaitingFor(WaitReason.INTERNAL_REVIEW)) {
            snapshot = unbinder.approveInternally(snapshot.id(), REVIEWER, "terminal returned to the shop's inventory");
        }
        unbinder.runDueWork();
        return unbinder.find(snapshot.id()).orElseThrow();
    }

    private CaseSnapshot runFor(CaseId id, Duration total) {
        for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plusSeconds(30)) {
            clock.advance(Duration.ofSeconds(30));
            unbinder.runDueWork();
            if (!unbinder.find(id).orElseThrow().state().isOpen()) {
                break;
            }
        }
        return unbinder.find(id).orElseThrow();
    }

    private CaseSnapshot completed(CaseSnapshot snapshot) {
        return snapshot.state().isOpen() ? runFor(snapshot.id(), Duration.ofMinutes(5)) : snapshot;
    }

    private static StepSnapshot unbindStep(CaseSnapshot snapshot) {
        return snapshot.steps(StepKind.UNBIND_TERMINAL).get(0);
    }

    private String reassignPath() {
        return "/v3/terminals/" + stub.terminalIdOf(serial) + "/reassign";
    }
}
