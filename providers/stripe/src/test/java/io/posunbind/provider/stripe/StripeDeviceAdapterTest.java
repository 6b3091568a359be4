package io.posunbind.provider.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.OperationTarget;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.ProviderSettings;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PeripheralKind;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.testkit.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reader's reads and delete against the WireMock stub of Stripe's Terminal API: what the adapter sends
 * (paths, {@code Authorization}, {@code Idempotency-Key}), and how each of Stripe's answers maps to the SPI.
 */
class StripeDeviceAdapterTest {

    private final StripeStub stripe = new StripeStub();
    private final PaymentProvider provider = new StripeProviderFactory().create(ProviderSettings.of(stripe.settings()));
    private final DeviceUnbindAdapter device = provider.deviceAdapter().orElseThrow();

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void readingATerminalListsTheReaderBySerialWithTheApiKeyAndNamesItsLocationAndMerchant() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);

        Terminal terminal = device.readTerminal(serial);

        assertEquals(serial, terminal.serialNumber());
        assertEquals("bbpos_wisepos_e", terminal.model());
        assertEquals(TerminalStatus.ACTIVE, terminal.status());
        assertEquals(List.of(StripeStub.MERCHANT), terminal.boundMerchantNumbers());
        assertTrue(terminal.storeId().orElseThrow().startsWith("tml_"));
        assertEquals(List.of(), terminal.peripherals());
        LoggedRequest list = stripe.server().findAll(getRequestedFor(urlPathEqualTo("/v1/terminal/readers"))).get(0);
        assertEquals(serial, list.queryParameter("serial_number").firstValue());
        assertEquals("Bearer " + StripeStub.API_KEY, list.getHeader("Authorization"));
        assertTrue(!list.containsHeader("Idempotency-Key"), "a read carries no idempotency key");
        assertTrue(readerId.startsWith("tmr_"));
    }

    @Test
    void aReaderWithoutTheMerchantInItsMetadataIsBoundToTheMerchantItsLocationNames() {
        stripe.seedReader("WSC513100000042", "898000000000777", false);

        Terminal terminal = device.readTerminal("WSC513100000042");

        assertEquals(List.of("898000000000777"), terminal.boundMerchantNumbers());
        assertEquals(1, stripe.server().findAll(getRequestedFor(urlPathEqualTo("/v1/terminal/locations/"
                + terminal.storeId().orElseThrow()))).size());
    }

    @Test
    void anUnknownSerialIsTerminalNotFound() {
        ProviderException e = assertThrows(ProviderException.class, () -> device.readTerminal("WSC519999999999"));
        assertEquals(StandardErrorCode.TERMINAL_NOT_FOUND, e.errorCode());
    }

    @Test
    void theBackupHoldsTheReadersSettingsAndItsLocationButNotTheLocationsPhone() {
        String serial = stripe.seedTerminal();

        TerminalDataExport export = device.exportTerminalData(serial);

        assertEquals(stripe.readerIdOf(serial), export.settings().get("reader.id"));
        assertEquals("2.37.2.0", export.settings().get("reader.deviceSoftwareVersion"));
        assertEquals("Market Street store", export.settings().get("location.displayName"));
        assertEquals("US", export.settings().get("location.address.country"));
        assertEquals(StripeStub.MERCHANT, export.settings().get("location.metadata.merchant_number"));
        assertTrue(export.settings().values().stream().noneMatch(value -> value.contains("4155550100")));
        assertEquals(List.of(), export.usageRecords(), "Stripe's Terminal API keeps no usage history per reader");
        assertEquals(1, stripe.server().findAll(getRequestedFor(urlPathEqualTo("/v1/terminal/locations/"
                + export.settings().get("reader.location")))).size());
    }

    @Test
    void theUnbindDeletesTheNotedReaderUnderTheEnginesKeyAndIsDoneAtOnce() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        SentOperation operation = prepared(serial, "case-4711-unbind-terminal-1");
        assertEquals(Optional.of("reader=" + readerId), operation.adapterNote().map(note -> note.split(";")[0]));

        OperationOutcome outcome = device.unbindTerminal(context(operation), serial);

        OperationOutcome.Done done = assertInstanceOf(OperationOutcome.Done.class, outcome);
        assertEquals(readerId, done.providerReference());
        List<LoggedRequest> deletes = deletes(readerId);
        assertEquals(1, deletes.size());
        assertEquals("case-4711-unbind-terminal-1", deletes.get(0).getHeader("Idempotency-Key"));
        assertEquals("Bearer " + StripeStub.API_KEY, deletes.get(0).getHeader("Authorization"));
    }

    @Test
    void theEnginesLongestKeyIsSentWholeSinceStripeTakesKeysUpTo255Characters() {
        String serial = stripe.seedTerminal();
        String key = "k".repeat(IdempotencyKey.MAX_LENGTH);
        SentOperation operation = prepared(serial, key);

        device.unbindTerminal(context(operation), serial);

        assertEquals(key, deletes(stripe.readerIdOf(serial)).get(0).getHeader("Idempotency-Key"));
    }

    @Test
    void aSecondDeleteOfTheSameReaderAnswers404AndCountsAsDoneWithoutASecondEffect() {
        String serial = stripe.seedTerminal();
        SentOperation operation = prepared(serial, "case-4712-unbind-terminal-1");
        device.unbindTerminal(context(operation), serial);

        OperationOutcome again = device.unbindTerminal(context(operation).withAttempt(2), serial);

        OperationOutcome.Done done = assertInstanceOf(OperationOutcome.Done.class, again);
        assertEquals("already", done.attributes().get("deleted"));
        assertEquals(1, stripe.effectsUnder(operation.idempotencyKey()));
        assertEquals(2, deletes(stripe.readerIdOf(serial)).size());
    }

    @Test
    void stripesErrorsMapToTheSpisOutcomesWithTheirRequestId() {
        assertRefusal(401, "invalid_request_error", null, StandardErrorCode.NOT_AUTHORIZED, "invalid_request_error");
        assertRefusal(403, "invalid_request_error", "secret_key_required", StandardErrorCode.NOT_AUTHORIZED,
                "secret_key_required");
        assertRefusal(400, "idempotency_error", null, StandardErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency_error");
        assertRefusal(409, "idempotency_error", null, StandardErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency_error");
        assertRefusal(409, "invalid_request_error", null, StandardErrorCode.OPERATION_IN_PROGRESS,
                "invalid_request_error");
        assertRefusal(400, "invalid_request_error", "terminal_reader_busy", StandardErrorCode.OPERATION_IN_PROGRESS,
                "terminal_reader_busy");
        assertRefusal(400, "invalid_request_error", "parameter_invalid_empty", StandardErrorCode.INVALID_REQUEST,
                "parameter_invalid_empty");
        assertRefusal(422, "invalid_request_error", "terminal_reader_offline",
                StandardErrorCode.TERMINAL_STATE_CONFLICT, "terminal_reader_offline");
        assertRefusal(404, "invalid_request_error", "resource_missing", StandardErrorCode.TERMINAL_NOT_FOUND,
                "resource_missing", false);
    }

    @Test
    void a429WaitsForStripesRetryAfterAndStripeJavaDoesNotResendIt() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        stripe.server().stubFor(delete(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(error(429, "invalid_request_error", "rate_limit").withHeader("Retry-After", "7")));

        OperationOutcome outcome = device.unbindTerminal(context(prepared(serial, "case-1-rate")), serial);

        OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class, outcome);
        assertEquals(StandardErrorCode.RATE_LIMITED, failure.code());
        assertEquals("rate_limit", failure.providerCode());
        assertEquals(Optional.of(Duration.ofSeconds(7)), failure.retryAfter());
        assertEquals(Optional.of("req_stub_429"), failure.requestId());
        assertEquals(1, deletes(readerId).size(), "maxNetworkRetries is 0: the engine owns the retry");
    }

    @Test
    void aLockTimeoutIsWorkInProgressAndIsNotResent() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        stripe.server().stubFor(delete(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(error(429, "invalid_request_error", "lock_timeout")));

        OperationOutcome outcome = device.unbindTerminal(context(prepared(serial, "case-1-lock")), serial);

        OperationOutcome.RetryableFailure failure = assertInstanceOf(OperationOutcome.RetryableFailure.class, outcome);
        assertEquals(StandardErrorCode.OPERATION_IN_PROGRESS, failure.code());
        assertEquals(Optional.empty(), failure.retryAfter());
        assertEquals(1, deletes(readerId).size());
    }

    @Test
    void a500IsAnUnknownOutcomeNamingStripesRequestIdAndIsNotResent() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        stripe.server().stubFor(delete(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(error(500, "api_error", null)));

        OperationOutcome outcome = device.unbindTerminal(context(prepared(serial, "case-1-500")), serial);

        OperationOutcome.Unknown unknown = assertInstanceOf(OperationOutcome.Unknown.class, outcome);
        assertTrue(unknown.reason().contains("req_stub_500"), unknown.reason());
        assertEquals(1, deletes(readerId).size(), "maxNetworkRetries is 0: the engine owns the retry");
    }

    @Test
    void a503OrA500StripeAdvisesRetryingIsRetryable() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        stripe.server().stubFor(delete(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(error(503, "api_error", null)));
        OperationOutcome unavailable = device.unbindTerminal(context(prepared(serial, "case-1-503")), serial);
        stripe.server().stubFor(delete(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(error(500, "api_error", null).withHeader("Stripe-Should-Retry", "true")));
        OperationOutcome advised = device.unbindTerminal(context(prepared(serial, "case-1-500-retry")), serial);

        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE,
                assertInstanceOf(OperationOutcome.RetryableFailure.class, unavailable).code());
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE,
                assertInstanceOf(OperationOutcome.RetryableFailure.class, advised).code());
        assertEquals(2, deletes(readerId).size());
    }

    @Test
    void aReadTimeoutIsUnknownAndTheLookupFindsTheReaderGone() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        SentOperation operation = prepared(serial, "case-1-timeout");
        stripe.failNext(OperationKind.UNBIND_TERMINAL, Fault.timeout());

        OperationOutcome outcome = device.unbindTerminal(context(operation), serial);
        Optional<OperationOutcome> found = freshDevice().lookup(operation);

        assertInstanceOf(OperationOutcome.Unknown.class, outcome);
        OperationOutcome.Done done = assertInstanceOf(OperationOutcome.Done.class, found.orElseThrow());
        assertEquals(readerId, done.providerReference());
        assertEquals(1, deletes(readerId).size());
        assertEquals(1, stripe.server().findAll(getRequestedFor(urlPathEqualTo("/v1/terminal/readers/" + readerId)))
                .size(), "the lookup retrieved the noted reader");
    }

    @Test
    void aResetConnectionIsUnknownAndTheDeleteIsNotResentBehindTheEnginesBack() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        device.readTerminal(serial); // a kept-alive connection: HttpURLConnection would re-send on it after a reset
        SentOperation operation = prepared(serial, "case-1-reset");
        stripe.failNext(OperationKind.UNBIND_TERMINAL, Fault.connectionReset());

        OperationOutcome outcome = device.unbindTerminal(context(operation), serial);

        assertInstanceOf(OperationOutcome.Unknown.class, outcome);
        assertEquals(1, deletes(readerId).size(), "sent once: every resend is the engine's");
        assertEquals(Optional.empty(), freshDevice().lookup(operation), "the reader is still there: never deleted");
    }

    @Test
    void aLookupAnsweredDeletedTrueIsDoneAndAReaderStillThereIsNothingSent() {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        SentOperation operation = prepared(serial, "case-1-lookup");
        assertEquals(Optional.empty(), device.lookup(operation));

        stripe.server().stubFor(get(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Request-Id", "req_stub_get")
                        .withBody("{\"id\":\"" + readerId + "\",\"object\":\"terminal.reader\",\"deleted\":true}")));

        assertInstanceOf(OperationOutcome.Done.class, device.lookup(operation).orElseThrow());
    }

    @Test
    void aLookupWithoutTheAdaptersNoteAsksStripeNothingAndFindsNothing() {
        String serial = stripe.seedTerminal();
        SentOperation neverPrepared = SentOperation.of(new IdempotencyKey("case-1-never"),
                OperationKind.UNBIND_TERMINAL, OperationTarget.terminal(StripeStub.MERCHANT, serial), Map.of(),
                Instant.parse("2026-12-01T09:00:00Z"));
        int before = stripe.requestsReceived();

        assertEquals(Optional.empty(), device.lookup(neverPrepared));
        assertEquals(before, stripe.requestsReceived());
    }

    @Test
    void readsMapStripesErrorsToExceptionsWithTheRequestId() {
        String serial = stripe.seedTerminal();
        stripe.server().stubFor(get(urlPathEqualTo("/v1/terminal/readers")).atPriority(1)
                .willReturn(error(401, "invalid_request_error", null)));
        ProviderException unauthorized = assertThrows(ProviderException.class, () -> device.readTerminal(serial));
        stripe.server().stubFor(get(urlPathEqualTo("/v1/terminal/readers")).atPriority(1)
                .willReturn(error(429, "invalid_request_error", "rate_limit")));
        ProviderException limited = assertThrows(ProviderException.class, () -> device.exportTerminalData(serial));
        stripe.server().stubFor(get(urlPathEqualTo("/v1/terminal/readers")).atPriority(1)
                .willReturn(error(502, "api_error", null)));
        ProviderException down = assertThrows(ProviderException.class, () -> device.readTerminal(serial));

        assertEquals(StandardErrorCode.NOT_AUTHORIZED, unauthorized.errorCode());
        assertEquals(Optional.of("req_stub_401"), unauthorized.providerRequestId());
        assertEquals(StandardErrorCode.RATE_LIMITED, limited.errorCode());
        assertEquals(StandardErrorCode.PROVIDER_UNAVAILABLE, down.errorCode());
        assertTrue(down.retryable());
    }

    @Test
    void aRevokedOrWrongApiKeyIsNotAuthorizedAndTheKeyIsNotShown() {
        String serial = stripe.seedTerminal();
        Map<String, String> settings = new HashMap<>(stripe.settings());
        settings.put("api-key", "sk_test_51RevokedKeyOfAnotherAccount000000");
        DeviceUnbindAdapter revoked = new StripeProviderFactory().create(ProviderSettings.of(settings))
                .deviceAdapter().orElseThrow();

        ProviderException e = assertThrows(ProviderException.class, () -> revoked.readTerminal(serial));

        assertEquals(StandardErrorCode.NOT_AUTHORIZED, e.errorCode());
        assertTrue(e.providerRequestId().orElseThrow().startsWith("req_"));
        assertTrue(!e.getMessage().contains("RevokedKeyOfAnotherAccount"), e.getMessage());
    }

    @Test
    void disableDecommissionAndPeripheralsDoNotApplyAtStripeAndSayWhy() {
        String serial = stripe.seedTerminal();
        OperationContext context = context(prepared(serial, "case-1-na"));

        List<OperationOutcome> answers = List.of(device.disableTerminal(context, serial),
                device.decommissionTerminal(context, serial),
                device.unbindPeripheral(context, serial, new Peripheral("p1", PeripheralKind.PRINTER, "PRN0001")));

        answers.forEach(answer -> assertTrue(!assertInstanceOf(OperationOutcome.NotApplicable.class, answer)
                .reason().isBlank()));
        assertEquals(Set.of(OperationKind.UNBIND_TERMINAL), provider.supportedOperations());
        assertEquals(0, stripe.server().findAll(deleteRequestedFor(anyUrl())).size());
        assertEquals(Optional.of(Duration.ofHours(24)), provider.idempotencyKeyRetention());
        assertTrue(provider.honoursIdempotencyKeys());
        assertTrue(provider.accountAdapter().isEmpty() && provider.merchantInfoAdapter().isEmpty(),
                "the settlement account and merchant info are the Stripe account's, not the reader's");
    }

    private void assertRefusal(int status, String type, String code, StandardErrorCode expected, String providerCode) {
        assertRefusal(status, type, code, expected, providerCode, true);
    }

    /** Sends a delete Stripe refuses with this error body, without the note when the reader must be unknown. */
    private void assertRefusal(int status, String type, String code, StandardErrorCode expected, String providerCode,
            boolean noted) {
        String serial = stripe.seedTerminal();
        String readerId = stripe.readerIdOf(serial);
        stripe.server().stubFor(delete(urlPathEqualTo("/v1/terminal/readers/" + readerId)).atPriority(1)
                .willReturn(error(status, type, code)));
        SentOperation operation = noted ? prepared(serial, "case-" + status + "-" + providerCode)
                : SentOperation.of(new IdempotencyKey("case-" + status + "-unnoted"), OperationKind.UNBIND_TERMINAL,
                        OperationTarget.terminal(StripeStub.MERCHANT, serial), Map.of(), Instant.EPOCH);

        OperationOutcome outcome = device.unbindTerminal(context(operation), serial);

        String what = status + " " + type + "/" + code;
        OperationOutcome.Rejected rejected = assertInstanceOf(OperationOutcome.Rejected.class, outcome, what);
        assertEquals(expected, rejected.code(), what);
        assertEquals(providerCode, rejected.providerCode(), what);
        assertEquals(Optional.of("req_stub_" + status), rejected.requestId(), what);
        assertEquals(1, deletes(readerId).size(), what + " is not resent by stripe-java");
    }

    private static ResponseDefinitionBuilder error(int status, String type,
            String code) {
        String requestId = "req_stub_" + status;
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", requestId)
                .withBody(StripeStub.errorBody(type, code, "Stripe refused the request", null, requestId));
    }

    private SentOperation prepared(String serial, String key) {
        SentOperation operation = SentOperation.of(new IdempotencyKey(key), OperationKind.UNBIND_TERMINAL,
                OperationTarget.terminal(StripeStub.MERCHANT, serial), Map.of(), Instant.parse("2026-12-01T09:00:00Z"));
        return operation.withAdapterNote(device.prepare(operation));
    }

    private static OperationContext context(SentOperation operation) {
        return OperationContext.of(operation, "case-4711");
    }

    private DeviceUnbindAdapter freshDevice() {
        return new StripeProviderFactory().create(ProviderSettings.of(stripe.settings())).deviceAdapter().orElseThrow();
    }

    private List<LoggedRequest> deletes(String readerId) {
        return stripe.server().findAll(deleteRequestedFor(urlPathEqualTo("/v1/terminal/readers/" + readerId)));
    }

}
