package io.posunbind.provider.adyen.internal;

import com.adyen.model.management.Terminal;
import com.adyen.model.management.TerminalAssignment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The adapter's note on a reassignment, persisted by the engine before the call: the terminal's Adyen id and
 * its assignment before anything was sent. With it a lookup in a fresh process knows which terminal to
 * read, and an operator sees where the terminal was. Text form {@code terminal=V400m-324689776;status=boarded;
 * merchant=ShopCN;store=ST322LJ223223K5F4SQNR9XL5}; ids only, no secret. Immutable.
 *
 * @param terminalId Adyen's terminal id
 * @param status     the assignment status before the reassignment
 * @param merchantId the merchant account it was assigned to, if any
 * @param storeId    the store it was assigned to, if any
 */
record AssignmentNote(String terminalId, String status, Optional<String> merchantId, Optional<String> storeId) {

    AssignmentNote {
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(storeId, "storeId");
    }

    static AssignmentNote of(Terminal terminal) {
        TerminalAssignment assignment = terminal.getAssignment();
        return new AssignmentNote(terminal.getId(),
                assignment == null || assignment.getStatus() == null ? "unknown" : assignment.getStatus().getValue(),
                Optional.ofNullable(assignment == null ? null : assignment.getMerchantId()),
                Optional.ofNullable(assignment == null ? null : assignment.getStoreId()));
    }

    /** Reads a note written by {@link #text()}; empty when it is not one (written by another version). */
    static Optional<AssignmentNote> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        if (!fields.containsKey("terminal") || !fields.containsKey("status")) {
            return Optional.empty();
        }
        return Optional.of(new AssignmentNote(fields.get("terminal"), fields.get("status"),
                Optional.ofNullable(fields.get("merchant")), Optional.ofNullable(fields.get("store"))));
    }

    String text() {
        return "terminal=" + terminalId + ";status=" + status + merchantId.map(id -> ";merchant=" + id).orElse("")
                + storeId.map(id -> ";store=" + id).orElse("");
    }
}
