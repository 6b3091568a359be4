package io.posunbind.testkit;

import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory stand-in for an acquirer's merchant API, as an account or merchant-info adapter author's stub
 * would be: GET a merchant's settlement account and merchant info, POST the account's unbind or the merchant
 * info's deletion (deduplicated by an {@code Idempotency-Key} header when one is sent), GET an operation by
 * the client's reference. Account numbers are held in clear, as the acquirer holds them. Faults are injected
 * per operation kind. Thread-safe.
 */
final class FakeMerchantApi implements BackendFaults {

    /** A merchant as the acquirer holds it: the clear account number, or none, and whether its info is bound. */
    record Merchant(Optional<String> accountNumber, boolean infoBound, boolean frozen) { }

    /** What became of an operation, by the client's reference. */
    private record Operation(int status, String body) { }

    private static FakeMerchantApi shared;

    private final Map<String, Merchant> merchants = new HashMap<>();
    private final Map<String, FakeTerminalApi.Response> answersByKey = new HashMap<>();
    private final Map<String, Operation> operationsByReference = new HashMap<>();
    private final Map<String, Integer> effectsByReference = new HashMap<>();
    private final Map<OperationKind, Deque<Fault>> faults = new EnumMap<>(OperationKind.class);
    private final Set<OperationKind> holdAsPending = EnumSet.noneOf(OperationKind.class);
    private int requests;
    private int sequence;

    /** The backend that providers built by ServiceLoader talk to. */
    static synchronized FakeMerchantApi shared() {
        if (shared == null) {
            shared = new FakeMerchantApi();
        }
        return shared;
    }

    /** GET /merchants/{merchant}: 200 with the merchant, 404 unknown. */
    synchronized Optional<Merchant> getMerchant(String merchant) {
        requests++;
        return Optional.ofNullable(merchants.get(merchant));
    }

    /** POST /merchants/{merchant}/{operation}. */
    synchronized FakeTerminalApi.Response post(OperationKind kind, String merchant, String idempotencyKey,
            String clientReference) throws IOException {
        requests++;
        Fault fault = Optional.ofNullable(faults.get(kind)).map(Deque::poll).orElse(null);
        Fault.Kind faultKind = fault == null ? null : fault.kind();
        if (faultKind == Fault.Kind.CONNECTION_RESET) {
            throw new SocketException("Connection reset");
        }
        if (faultKind == Fault.Kind.SERVER_ERROR) {
            return FakeTerminalApi.Response.of(500, "INTERNAL_ERROR");
        }
        if (faultKind == Fault.Kind.RATE_LIMITED) {
            return new FakeTerminalApi.Response(429, "TOO_MANY_REQUESTS", Optional.of(fault.duration()), Duration.ZERO);
        }
        FakeTerminalApi.Response answer = idempotencyKey == null ? null : answersByKey.get(idempotencyKey);
        if (answer == null) {
            answer = perform(kind, merchant, clientReference);
            if (idempotencyKey != null) {
                answersByKey.put(idempotencyKey, answer);
            }
        }
        if (faultKind == Fault.Kind.TIMEOUT) {
            throw new SocketTimeoutException("Read timed out");
        }
        if (faultKind == Fault.Kind.SLOW_ANSWER) {
            return new FakeTerminalApi.Response(answer.status(), answer.body(), answer.retryAfter(), fault.duration());
        }
        return answer;
    }

    private FakeTerminalApi.Response perform(OperationKind kind, String merchantNumber, String clientReference) {
        Merchant merchant = merchants.get(merchantNumber);
        if (merchant == null) {
            return FakeTerminalApi.Response.of(404, "NO_SUCH_MERCHANT");
        }
        if (merchant.frozen()) {
            operationsByReference.put(clientReference, new Operation(422, "MERCHANT_FROZEN"));
            return FakeTerminalApi.Response.of(422, "MERCHANT_FROZEN");
        }
        merchants.put(merchantNumber, kind == OperationKind.UNBIND_SETTLEMENT_ACCOUNT
                ? new Merchant(Optional.empty(), merchant.infoBound(), false)
                : new Merchant(merchant.accountNumber(), false, false));
        effectsByReference.merge(clientReference, 1, Integer::sum);
        String reference = "FM-" + (++sequence);
        int status = holdAsPending.remove(kind) ? 202 : 200;
        operationsByReference.put(clientReference, new Operation(status, reference));
        return FakeTerminalApi.Response.of(status, reference);
    }

    /** GET /operations?clientReference=...: 200 done, 202 pending, 422 refused, 404 never received. */
    synchronized FakeTerminalApi.Response findOperation(String clientReference) {
        requests++;
        Operation operation = operationsByReference.get(clientReference);
        return operation == null ? FakeTerminalApi.Response.of(404, "NO_SUCH_OPERATION")
                : FakeTerminalApi.Response.of(operation.status(), operation.body());
    }

    @Override
    public synchronized String seedMerchantWithAccount() {
        return seed(false);
    }

    @Override
    public synchronized String seedMerchantWithAccountThatRefuses() {
        return seed(true);
    }

    @Override
    public synchronized String seedMerchantInfo() {
        return seed(false);
    }

    @Override
    public synchronized String seedMerchantInfoThatRefuses() {
        return seed(true);
    }

    private String seed(boolean frozen) {
        String merchant = String.format("8980%06d", ++sequence);
        // A bank card number (Luhn-valid), as Chinese merchants often settle to one: findable in clear by the scan.
        merchants.put(merchant, new Merchant(Optional.of("6222020200112233446"), true, frozen));
        return merchant;
    }

    @Override
    public String unknownMerchant() {
        return "8989999999";
    }

    @Override
    public synchronized void failNext(OperationKind kind, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(fault);
    }

    @Override
    public synchronized int effectsUnder(IdempotencyKey key) {
        return effectsByReference.getOrDefault(key.value(), 0);
    }

    @Override
    public synchronized int requestsReceived() {
        return requests;
    }

    @Override
    public synchronized void holdNextAsPending(OperationKind kind) {
        holdAsPending.add(kind);
    }

    @Override
    public synchronized void completePending() {
        operationsByReference.replaceAll((reference, operation) ->
                operation.status() == 202 ? new Operation(200, operation.body()) : operation);
    }
}
