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
 * An in-memory stand-in for a terminal-management HTTP API, as an adapter author's stub would be: GET a
 * terminal, POST an operation (deduplicated by an {@code Idempotency-Key} header when one is sent), GET
 * an operation by the client's reference. Faults are injected per operation kind. Thread-safe.
 */
final class FakeTerminalApi implements BackendFaults {

    /** An HTTP answer: status, body, the Retry-After header, and how long the answer took. */
    record Response(int status, String body, Optional<Duration> retryAfter, Duration elapsed) {
        static Response of(int status, String body) {
            return new Response(status, body, Optional.empty(), Duration.ZERO);
        }
    }

    /** What became of an operation, by the client's reference. */
    private record Operation(int status, String body) { }

    private static FakeTerminalApi shared;

    private final Map<String, String> terminals = new HashMap<>();
    private final Map<String, Response> answersByKey = new HashMap<>();
    private final Map<String, Operation> operationsByReference = new HashMap<>();
    private final Map<String, Integer> effectsByReference = new HashMap<>();
    private final Map<OperationKind, Deque<Fault>> faults = new EnumMap<>(OperationKind.class);
    private final Set<OperationKind> holdAsPending = EnumSet.noneOf(OperationKind.class);
    private int requests;
    private int sequence;

    /** The backend that providers built by ServiceLoader talk to. */
    static synchronized FakeTerminalApi shared() {
        if (shared == null) {
            shared = new FakeTerminalApi();
        }
        return shared;
    }

    synchronized Response getTerminal(String serial) {
        requests++;
        String state = terminals.get(serial);
        return state == null ? Response.of(404, "NO_SUCH_TERMINAL") : Response.of(200, serial + ":" + state);
    }

    /**
     * POST /terminals/{serial}/{operation}.
     *
     * @param idempotencyKey  the header, or null when the client sends none
     * @param clientReference the client's own reference for the request, by which it can be found later
     */
    synchronized Response post(OperationKind kind, String serial, String idempotencyKey, String clientReference)
            throws IOException {
        requests++;
        Fault fault = Optional.ofNullable(faults.get(kind)).map(Deque::poll).orElse(null);
        Fault.Kind faultKind = fault == null ? null : fault.kind();
        if (faultKind == Fault.Kind.CONNECTION_RESET) {
            throw new SocketException("Connection reset");
        }
        if (faultKind == Fault.Kind.SERVER_ERROR) {
            return Response.of(500, "INTERNAL_ERROR");
        }
        if (faultKind == Fault.Kind.RATE_LIMITED) {
            return new Response(429, "TOO_MANY_REQUESTS", Optional.of(fault.duration()), Duration.ZERO);
        }
        Response answer = idempotencyKey == null ? null : answersByKey.get(idempotencyKey);
        if (answer == null) {
            answer = perform(kind, serial, clientReference);
            if (idempotencyKey != null) {
                answersByKey.put(idempotencyKey, answer);
            }
        }
        if (faultKind == Fault.Kind.TIMEOUT) {
            throw new SocketTimeoutException("Read timed out");
        }
        if (faultKind == Fault.Kind.SLOW_ANSWER) {
            return new Response(answer.status(), answer.body(), answer.retryAfter(), fault.duration());
        }
        return answer;
    }

    private Response perform(OperationKind kind, String serial, String clientReference) {
        String state = terminals.get(serial);
        if (state == null) {
            return Response.of(404, "NO_SUCH_TERMINAL");
        }
        if (state.equals("LOCKED")) {
            Response refusal = Response.of(422, "TERMINAL_LOCKED");
            operationsByReference.put(clientReference, new Operation(422, "TERMINAL_LOCKED"));
            return refusal;
        }
        terminals.put(serial, kind.name());
        effectsByReference.merge(clientReference, 1, Integer::sum);
        String reference = "FK-" + (++sequence);
        int status = holdAsPending.remove(kind) ? 202 : 200;
        operationsByReference.put(clientReference, new Operation(status, reference));
        return Response.of(status, reference);
    }

    /** GET /operations?clientReference=...: 200 done, 202 pending, 422 refused, 404 never received. */
    synchronized Response findOperation(String clientReference) {
        requests++;
        Operation operation = operationsByReference.get(clientReference);
        return operation == null ? Response.of(404, "NO_SUCH_OPERATION")
                : Response.of(operation.status(), operation.body());
    }

    @Override
    public synchronized String seedTerminal() {
        String serial = String.format("KIT-%06d", ++sequence);
        terminals.put(serial, "ACTIVE");
        return serial;
    }

    @Override
    public synchronized String seedTerminalThatRefuses() {
        String serial = String.format("KIT-%06d", ++sequence);
        terminals.put(serial, "LOCKED");
        return serial;
    }

    @Override
    public String unknownSerial() {
        return "KIT-999999";
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
