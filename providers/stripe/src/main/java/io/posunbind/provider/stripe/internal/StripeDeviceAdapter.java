package io.posunbind.provider.stripe.internal;

import com.stripe.exception.StripeException;
import com.stripe.model.Address;
import com.stripe.model.terminal.Location;
import com.stripe.model.terminal.Reader;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Device binding on Stripe Terminal: a reader is bound to the account by being registered at one of its
 * locations, and unbound by deleting it ({@code DELETE /v1/terminal/readers/{id}}). Stripe's delete is
 * synchronous, so the unbind answers {@link OperationOutcome.Done} at once with the reader's id; it never
 * answers pending.
 *
 * <p>Stripe has no disable, no peripherals and no remote shutdown of a reader: those operations answer
 * {@link OperationOutcome.NotApplicable} with the reason, and the provider leaves them out of its
 * supported operations. Thread-safe.
 */
final class StripeDeviceAdapter implements DeviceUnbindAdapter {

    static final String NO_DISABLE = "Stripe Terminal has no way to disable a reader: it is registered to a"
            + " location or deleted, and the unbind deletes it";
    static final String NO_DECOMMISSION = "Stripe Terminal cannot shut a reader down remotely: deleting it (the"
            + " unbind) takes it off the account, and the device is reset by whoever holds it";
    static final String NO_PERIPHERALS = "Stripe Terminal's API knows no peripherals of a reader";

    private final StripeTerminalApi api;
    private final String merchantNumberKey;

    StripeDeviceAdapter(StripeTerminalApi api, String merchantNumberKey) {
        this.api = Objects.requireNonNull(api, "api");
        this.merchantNumberKey = Objects.requireNonNull(merchantNumberKey, "merchantNumberKey");
    }

    /**
     * The reader with this serial: its location is the store, and the merchant number it is bound to comes
     * from the reader's metadata, or else its location's.
     */
    @Override
    public Terminal readTerminal(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        try {
            Reader reader = requireReader(serialNumber);
            Optional<String> merchant = metadata(reader.getMetadata());
            if (merchant.isEmpty() && reader.getLocation() != null) {
                merchant = api.location(reader.getLocation()).flatMap(location -> metadata(location.getMetadata()));
            }
            return new Terminal(serialNumber, Optional.ofNullable(reader.getDeviceType()).orElse("unknown"),
                    TerminalStatus.ACTIVE, merchant.map(List::of).orElse(List.of()),
                    Optional.ofNullable(reader.getLocation()), List.of());
        } catch (StripeException e) {
            throw StripeOutcomes.exception(StripeFailure.of(e), "Reading reader " + serialNumber);
        }
    }

    /**
     * The reader's settings and its location for the backup. Stripe's Terminal API keeps no usage history per
     * reader, so the export has no usage records; the location's phone is left out.
     */
    @Override
    public TerminalDataExport exportTerminalData(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        try {
            Reader reader = requireReader(serialNumber);
            Map<String, String> settings = new TreeMap<>();
            put(settings, "reader.id", reader.getId());
            put(settings, "reader.label", reader.getLabel());
            put(settings, "reader.deviceType", reader.getDeviceType());
            put(settings, "reader.deviceSoftwareVersion", reader.getDeviceSwVersion());
            put(settings, "reader.status", reader.getStatus());
            put(settings, "reader.lastSeenAt", reader.getLastSeenAt());
            put(settings, "reader.location", reader.getLocation());
            putMetadata(settings, "reader.metadata.", reader.getMetadata());
            if (reader.getLocation() != null) {
                Optional<Location> location = api.location(reader.getLocation());
                location.ifPresent(found -> {
                    put(settings, "location.displayName", found.getDisplayName());
                    put(settings, "location.configurationOverrides", found.getConfigurationOverrides());
                    Address address = found.getAddress();
                    if (address != null) {
                        put(settings, "location.address.city", address.getCity());
                        put(settings, "location.address.country", address.getCountry());
                    }
                    putMetadata(settings, "location.metadata.", found.getMetadata());
                });
            }
            return new TerminalDataExport(serialNumber, List.of(), settings);
        } catch (StripeException e) {
            throw StripeOutcomes.exception(StripeFailure.of(e), "Exporting reader " + serialNumber);
        }
    }

    @Override
    public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber, Peripheral peripheral) {
        return OperationOutcome.notApplicable(NO_PERIPHERALS);
    }

    @Override
    public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
        return OperationOutcome.notApplicable(NO_DISABLE);
    }

    /**
     * Deletes the reader under the engine's key. The reader is the one noted before the first send, so a
     * resend never deletes a reader registered meanwhile under the same serial; a 404 {@code resource_missing}
     * for the noted reader means it is gone already (an earlier attempt whose answer was lost, or someone
     * else): the binding is undone, which is what the operation asks for.
     */
    @Override
    public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Optional<ReaderNote> noted = ReaderNote.parse(context.operation().adapterNote());
        String what = "Deleting reader " + serialNumber;
        String readerId;
        try {
            if (noted.isPresent()) {
                readerId = noted.get().readerId();
            } else {
                List<Reader> readers = api.readersWithSerial(serialNumber);
                if (readers.isEmpty()) {
                    return OperationOutcome.rejected(StandardErrorCode.TERMINAL_NOT_FOUND, "resource_missing",
                            "No Stripe reader has serial number " + serialNumber);
                }
                readerId = readers.get(0).getId();
            }
        } catch (StripeException e) {
            return StripeOutcomes.outcome(StripeFailure.of(e), what);
        }
        try {
            Reader deleted = api.delete(readerId, context.idempotencyKey().value());
            return new OperationOutcome.Done(deleted.getId() == null ? readerId : deleted.getId(),
                    Map.of("deleted", "true"));
        } catch (StripeException e) {
            StripeFailure failure = StripeFailure.of(e);
            if (failure.isResourceMissing() && noted.isPresent()) {
                return new OperationOutcome.Done(readerId, Map.of("deleted", "already"));
            }
            return StripeOutcomes.outcome(failure, what);
        }
    }

    @Override
    public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
        return OperationOutcome.notApplicable(NO_DECOMMISSION);
    }

    /** Notes the reader (and its location) a delete is about to target; nothing for other operations. */
    @Override
    public Optional<String> prepare(SentOperation operation) {
        if (operation.kind() != OperationKind.UNBIND_TERMINAL || operation.target().terminalSerial().isEmpty()) {
            return Optional.empty();
        }
        String serialNumber = operation.target().terminalSerial().get();
        try {
            return api.readersWithSerial(serialNumber).stream().findFirst()
                    .map(reader -> new ReaderNote(reader.getId(), Optional.ofNullable(reader.getLocation())).format());
        } catch (StripeException e) {
            throw StripeOutcomes.exception(StripeFailure.of(e), "Noting reader " + serialNumber);
        }
    }

    /**
     * Whether the noted reader is gone: Stripe answers 404 {@code resource_missing} (or {@code deleted: true})
     * for a deleted reader, which proves the delete; a reader still there means the delete never took effect,
     * and the engine sends it again. Stripe cannot be asked about a key, so without the note nothing is known
     * to have been sent.
     */
    @Override
    public Optional<OperationOutcome> lookup(SentOperation operation) {
        Objects.requireNonNull(operation, "operation");
        if (operation.kind() != OperationKind.UNBIND_TERMINAL) {
            return Optional.empty();
        }
        Optional<ReaderNote> noted = ReaderNote.parse(operation.adapterNote());
        if (noted.isEmpty()) {
            return Optional.empty();
        }
        String readerId = noted.get().readerId();
        try {
            return api.reader(readerId).isPresent() ? Optional.empty()
                    : Optional.of(new OperationOutcome.Done(readerId, Map.of("deleted", "found by lookup")));
        } catch (StripeException e) {
            throw StripeOutcomes.exception(StripeFailure.of(e), "Looking up reader " + readerId);
        }
    }

    @Override
    public String toString() {
        return "StripeDeviceAdapter";
    }

    private Reader requireReader(String serialNumber) throws StripeException {
        List<Reader> readers = api.readersWithSerial(serialNumber);
        if (readers.isEmpty()) {
            throw new ProviderException(StandardErrorCode.TERMINAL_NOT_FOUND, "resource_missing",
                    "No Stripe reader has serial number " + serialNumber + "; check the serial and the account");
        }
        return readers.get(0);
    }

    private Optional<String> metadata(Map<String, String> metadata) {
        return Optional.ofNullable(metadata).map(values -> values.get(merchantNumberKey))
                .filter(value -> !value.isBlank());
    }

    private static void put(Map<String, String> settings, String key, Object value) {
        if (value != null) {
            settings.put(key, String.valueOf(value));
        }
    }

    private static void putMetadata(Map<String, String> settings, String prefix, Map<String, String> metadata) {
        if (metadata != null) {
            new ArrayList<>(metadata.keySet()).forEach(key -> put(settings, prefix + key, metadata.get(key)));
        }
    }
}
