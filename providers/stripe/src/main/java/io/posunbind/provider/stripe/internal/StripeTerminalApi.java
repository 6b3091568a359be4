package io.posunbind.provider.stripe.internal;

import com.stripe.exception.StripeException;
import com.stripe.model.StripeCollection;
import com.stripe.model.terminal.Location;
import com.stripe.model.terminal.Reader;
import com.stripe.net.RequestOptions;
import com.stripe.param.terminal.ReaderListParams;
import com.stripe.service.terminal.LocationService;
import com.stripe.service.terminal.ReaderService;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Terminal endpoints the adapter calls, through stripe-java's services:
 * {@code GET /v1/terminal/readers?serial_number=}, {@code GET /v1/terminal/readers/{id}},
 * {@code DELETE /v1/terminal/readers/{id}} and {@code GET /v1/terminal/locations/{id}}. Thread-safe.
 */
final class StripeTerminalApi {

    /** Stripe's longest idempotency key. */
    static final int MAX_IDEMPOTENCY_KEY = 255;

    private final StripeConnection connection;

    StripeTerminalApi(StripeConnection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** The readers registered under the serial number; Stripe keeps one reader per serial, so at most one. */
    List<Reader> readersWithSerial(String serialNumber) throws StripeException {
        StripeCollection<Reader> page = readers().list(ReaderListParams.builder().setSerialNumber(serialNumber)
                .setLimit(10L).build());
        return page.getData() == null ? List.of() : List.copyOf(page.getData());
    }

    /** The reader, or empty when Stripe answers 404 {@code resource_missing} or shows it deleted. */
    Optional<Reader> reader(String readerId) throws StripeException {
        try {
            Reader reader = readers().retrieve(readerId);
            return Boolean.TRUE.equals(reader.getDeleted()) ? Optional.empty() : Optional.of(reader);
        } catch (StripeException e) {
            if (StripeFailure.of(e).isResourceMissing()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes the reader under the key (sent as {@code Idempotency-Key}); Stripe answers {@code deleted: true}. */
    Reader delete(String readerId, String idempotencyKey) throws StripeException {
        return readers().delete(readerId, RequestOptions.builder().setIdempotencyKey(idempotencyKey).build());
    }

    /** The location, or empty when Stripe does not know it (any more). */
    Optional<Location> location(String locationId) throws StripeException {
        try {
            Location location = locations().retrieve(locationId);
            return Boolean.TRUE.equals(location.getDeleted()) ? Optional.empty() : Optional.of(location);
        } catch (StripeException e) {
            if (StripeFailure.of(e).isResourceMissing()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private ReaderService readers() {
        return connection.client().terminal().readers();
    }

    private LocationService locations() {
        return connection.client().terminal().locations();
    }
}
