package io.posunbind.provider.adyen;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.posunbind.provider.adyen.AdyenTesting.SHOP;
import static io.posunbind.provider.adyen.AdyenTesting.context;
import static io.posunbind.provider.adyen.AdyenTesting.device;
import static io.posunbind.provider.adyen.AdyenTesting.unbind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.testkit.Fault;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every answer Adyen gives a reassignment becomes the outcome the engine acts on, with Adyen's code and request
 * id kept, and the reassignment is sent exactly once whatever the answer: the library's own retries are off.
 */
class AdyenErrorsBecomeOutcomesTest {

    private static final String REQUEST_ID = "JRJ7HC4GR9NKGK82";

    private final AdyenManagementStub stub = new AdyenManagementStub();
    private final DeviceUnbindAdapter device = device(AdyenTesting.provider(stub));

    @AfterEach
    void stopStub() {
        stub.close();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(400, "00_400", StandardErrorCode.INVALID_REQUEST),
                Arguments.of(401, "00_401", StandardErrorCode.NOT_AUTHORIZED),
                Arguments.of(403, "00_403", StandardErrorCode.NOT_AUTHORIZED),
                Arguments.of(404, "00_404", StandardErrorCode.TERMINAL_NOT_FOUND),
                Arguments.of(409, "00_409", StandardErrorCode.OPERATION_IN_PROGRESS),
                Arguments.of(422, "00_422", StandardErrorCode.TERMINAL_STATE_CONFLICT));
    }

    @ParameterizedTest(name = "HTTP {0} {1} is refused as {2}")
    @MethodSource("refusals")
    void aRefusalKeepsAdyensCodeAndRequestIdAndIsSentOnce(int status, String errorCode, ErrorCode expected) {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(status, errorCode, Optional.empty());

        OperationOutcome outcome = send(serial);

        assertEquals(new OperationOutcome.Rejected(expected, errorCode,
                "Adyen refused the request: The stub refuses this request with " + errorCode, Optional.of(REQUEST_ID)),
                outcome);
        assertEquals(expected == StandardErrorCode.OPERATION_IN_PROGRESS, expected.retryable());
        assertSentOnce();
    }

    @Test
    void aRateLimitedReassignmentComesBackAtOnceWithAdyensRetryAfterAndIsSentOnce() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(429, "00_429", Optional.of("42"));

        OperationOutcome outcome = send(serial);

        assertEquals(new OperationOutcome.RetryableFailure(StandardErrorCode.RATE_LIMITED, "00_429",
                "Adyen refused the request: The stub refuses this request with 00_429",
                Optional.of(Duration.ofSeconds(42)), Optional.of(REQUEST_ID)), outcome);
        assertSentOnce();
    }

    @ParameterizedTest(name = "HTTP {0} is retryable")
    @ValueSource(ints = {502, 503, 504})
    void anUnavailableAdyenIsRetryableUnderTheSameKeyAndTheReassignmentIsSentOnce(int status) {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(status, "00_" + status, Optional.of("3"));

        OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class,
                send(serial));

        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, failure.code());
        assertEquals(Optional.of(Duration.ofSeconds(3)), failure.retryAfter());
        assertSentOnce();
    }

    @Test
    void anUnavailableAdyenAnsweringWithoutABodyIsRetryableUnderItsStatus() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(ResponseDefinitionBuilder.responseDefinition().withStatus(503)
                .withBody("<html>Service Unavailable</html>").build());

        OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class,
                send(serial));

        assertEquals("HTTP-503", failure.providerCode());
        assertSentOnce();
    }

    @Test
    void anInternalErrorMayHaveActedSoItIsUnknownAndLookedUp() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(500, "00_500", Optional.empty());

        assertInstanceOf(OperationOutcome.Unknown.class, send(serial));
        assertSentOnce();
    }

    @Test
    void anErrorInTheShapeOfAdyensOtherApisKeepsItsPspReferenceAsTheRequestId() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(ResponseDefinitionBuilder.responseDefinition().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":422,\"errorCode\":\"901\",\"message\":\"Invalid Merchant Account\","
                        + "\"errorType\":\"security\",\"pspReference\":\"8816178952380553\"}").build());

        assertEquals(new OperationOutcome.Rejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, "901",
                "Adyen refused the request (security): Invalid Merchant Account", Optional.of("8816178952380553")), send(serial));
    }

    @Test
    void aLostAnswerAndABrokenConnectionAreUnknownAfterOneAttempt() {
        String timedOut = stub.seedBoardedTerminal(SHOP);
        stub.failNext(OperationKind.UNBIND_TERMINAL, Fault.timeout());
        OperationOutcome.Unknown unknown = assertInstanceOf(OperationOutcome.Unknown.class, send(timedOut));
        assertTrue(unknown.reason().contains("did not answer within 2000 ms"), unknown.reason());

        String reset = stub.seedBoardedTerminal(SHOP);
        stub.failNext(OperationKind.UNBIND_TERMINAL, Fault.connectionReset());
        assertInstanceOf(OperationOutcome.Unknown.class, send(reset));

        stub.wireMock().verify(2, postRequestedFor(urlPathMatching("/v3/terminals/.*/reassign")));
    }

    @Test
    void readsThrowWithOurCodeAdyensCodeAndItsRequestId() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextRead(403, "00_403", Optional.empty());
        ProviderException forbidden = assertThrows(ProviderException.class, () -> device.readTerminal(serial));
        assertEquals(StandardErrorCode.NOT_AUTHORIZED, forbidden.errorCode());
        assertEquals("00_403", forbidden.providerCode());
        assertEquals(Optional.of(REQUEST_ID), forbidden.providerRequestId());

        stub.answerNextRead(429, "00_429", Optional.of("5"));
        assertEquals(StandardErrorCode.RATE_LIMITED,
                assertThrows(ProviderException.class, () -> device.exportTerminalData(serial)).errorCode());
        stub.answerNextRead(500, "00_500", Optional.empty());
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE,
                assertThrows(ProviderException.class, () -> device.readTerminal(serial)).errorCode());
        assertEquals(StandardErrorCode.TERMINAL_NOT_FOUND,
                assertThrows(ProviderException.class, () -> device.readTerminal("999-999-999")).errorCode());
    }

    @Test
    void aWrongApiKeyIsNotAuthorized() {
        var settings = AdyenTesting.settings(stub);
        settings.put("api-key", "AQE1-a-revoked-key");
        String serial = stub.seedBoardedTerminal(SHOP);

        ProviderException refused = assertThrows(ProviderException.class,
                () -> device(AdyenTesting.provider(settings)).readTerminal(serial));

        assertEquals(StandardErrorCode.NOT_AUTHORIZED, refused.errorCode());
        assertTrue(!refused.getMessage().contains("AQE1-a-revoked-key"));
    }

    @Test
    void anAdyenOutOfReachIsUnavailableForReads() {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.close();

        ProviderException unreachable = assertThrows(ProviderException.class, () -> device.readTerminal(serial));

        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, unreachable.errorCode());
        assertTrue(unreachable.errorCode().retryable());
    }

    private OperationOutcome send(String serial) {
        return device.unbindTerminal(context(unbind(device, "order-4711.UNBIND_TERMINAL.1", SHOP, serial)), serial);
    }

    private void assertSentOnce() {
        stub.wireMock().verify(1, postRequestedFor(urlPathMatching("/v3/terminals/.*/reassign")));
    }
}
