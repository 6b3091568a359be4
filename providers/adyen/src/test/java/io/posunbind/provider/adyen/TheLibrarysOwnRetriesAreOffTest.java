package io.posunbind.provider.adyen;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.posunbind.provider.adyen.AdyenTesting.SHOP;
import static io.posunbind.provider.adyen.AdyenTesting.context;
import static io.posunbind.provider.adyen.AdyenTesting.device;
import static io.posunbind.provider.adyen.AdyenTesting.unbind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.adyen.Client;
import com.adyen.Config;
import com.adyen.enums.Environment;
import com.adyen.model.RequestOptions;
import com.adyen.model.management.TerminalReassignmentRequest;
import com.adyen.service.exception.ApiException;
import com.adyen.service.management.TerminalsTerminalLevelApi;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationOutcome;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adyen's library, left to itself, sends a reassignment a second time on HTTP 429 and 503 (its Apache
 * HttpClient's default retry strategy, after sleeping on the calling thread); the adapter sends it once and
 * hands the answer to the engine. Counted in the stub's journal.
 */
class TheLibrarysOwnRetriesAreOffTest {

    private final AdyenManagementStub stub = new AdyenManagementStub();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 503})
    void theLibrarysDefaultHttpClientWouldHaveSentTheReassignmentTwice(int status) throws IOException {
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(status, "00_" + status, Optional.of("1"));
        try (Client client = new Client(new Config().environment(Environment.TEST).apiKey(AdyenManagementStub.API_KEY))) {
            new TerminalsTerminalLevelApi(client, stub.baseUri()).reassignTerminal(stub.terminalIdOf(serial),
                    new TerminalReassignmentRequest().merchantId(SHOP).inventory(true),
                    new RequestOptions().idempotencyKey("library-default-" + status));
        } catch (ApiException e) {
            // Whether the second attempt succeeded or not, the journal tells how often it was sent.
        }

        stub.wireMock().verify(2, postRequestedFor(urlPathEqualTo("/v3/terminals/" + stub.terminalIdOf(serial)
                + "/reassign")));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 503})
    void theAdapterSendsTheReassignmentOnceAndLeavesTheRetryToTheEngine(int status) {
        DeviceUnbindAdapter device = device(AdyenTesting.provider(stub));
        String serial = stub.seedBoardedTerminal(SHOP);
        stub.answerNextReassign(status, "00_" + status, Optional.of("1"));

        OperationOutcome outcome = device.unbindTerminal(context(unbind(device, "order-4711.UNBIND_TERMINAL.1", SHOP,
                serial)), serial);

        assertInstanceOf(OperationOutcome.RetryableFailure.class, outcome);
        stub.wireMock().verify(1, postRequestedFor(urlPathEqualTo("/v3/terminals/" + stub.terminalIdOf(serial)
                + "/reassign")));
        assertEquals("boarded", stub.assignmentOf(serial).get("status").asText(), "nothing happened at Adyen");
    }
}
