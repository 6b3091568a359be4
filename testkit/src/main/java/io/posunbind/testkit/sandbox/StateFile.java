package io.posunbind.testkit.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.model.AccountNumber;
import io.posunbind.spi.model.FeeItem;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.PhoneNumber;
import io.posunbind.spi.model.SensitiveNumber;
import io.posunbind.spi.model.SettlementAccount;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.UnsettledFunds;
import io.posunbind.spi.model.UsageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A persistent sandbox's state on disk: one JSON file, {@code sandbox-state.json}, rewritten atomically
 * (a temporary file moved over it) after every change, and read back when a backend starts in the same
 * folder. It keeps the world (merchants with their accounts and phones, terminals), every request
 * remembered under its key with its outcome, the effects, and the last reference number drawn, so that
 * references never repeat. It does not keep the fault plan, verification demands and challenges, or the
 * deferred effect of an operation still under review (a lookup of it keeps answering {@code Pending}).
 * Like an acquirer's database, the file holds account and phone numbers: keep it in a test's folder.
 */
final class StateFile {

    static final String FILE_NAME = "sandbox-state.json";
    private static final int VERSION = 1;

    record State(int version, long lastReference, boolean honoursKeys, List<Merchant> merchants,
            List<Terminal> terminals, List<Request> requests, List<Effect> effects) { }

    record Merchant(String number, String name, String unifiedSocialCreditCode, String legalRepresentativeName,
            boolean deleted, Optional<SettlementAccount> account, Optional<String> accountUnbindInReview,
            Optional<Duration> accountChangeInterval, Optional<Instant> accountLastChangedAt,
            Optional<PhoneNumber> registeredPhone, List<String> registeredTerminals,
            Map<String, UnsettledFunds> unsettledByTerminal, Optional<List<FeeItem>> fees) { }

    record Terminal(String serialNumber, String model, TerminalStatus status, List<String> boundMerchantNumbers,
            Optional<String> storeId, List<Peripheral> peripherals, List<UsageRecord> usageRecords,
            Map<String, String> settings, boolean setUp) { }

    record Request(String key, OperationKind kind, String fingerprint, Instant acceptedAt,
            Optional<String> providerReference, Outcome outcome) { }

    /** An outcome as written: its type and the fields that type has. */
    record Outcome(String type, Optional<String> reference, Map<String, String> attributes, Optional<String> code,
            Optional<String> providerCode, Optional<String> message) { }

    record Effect(String key, OperationKind kind, String providerReference, Instant performedAt) { }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("sandbox-numbers")
                    .addSerializer(SensitiveNumber.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(SensitiveNumber number, JsonGenerator json, SerializerProvider unused)
                                throws IOException {
                            json.writeString(number.reveal());
                        }
                    })
                    .addDeserializer(AccountNumber.class, textual(AccountNumber::of))
                    .addDeserializer(PhoneNumber.class, textual(PhoneNumber::of)))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    StateFile(Path folder) {
        this.file = folder.resolve(FILE_NAME);
    }

    /** Writes the backend's state over the file, atomically: a reader sees the old state or the new one. */
    void write(long lastReference, WorldState world, IdempotencyLedger ledger) {
        List<Merchant> merchants = world.merchants.values().stream().map(merchant -> new Merchant(merchant.number,
                merchant.name, merchant.unifiedSocialCreditCode, merchant.legalRepresentativeName, merchant.deleted,
                merchant.account, merchant.accountUnbindInReview, merchant.accountChangeInterval,
                merchant.accountLastChangedAt, merchant.registeredPhone, List.copyOf(merchant.registeredTerminals),
                Map.copyOf(merchant.unsettledByTerminal), merchant.fees)).toList();
        List<Terminal> terminals = world.terminals.values().stream().map(terminal -> new Terminal(
                terminal.serialNumber, terminal.model, terminal.status, List.copyOf(terminal.boundMerchantNumbers),
                terminal.storeId, List.copyOf(terminal.peripheralsById.values()), List.copyOf(terminal.usageRecords),
                Map.copyOf(terminal.settings), terminal.setUp)).toList();
        List<Request> requests = ledger.remembered().stream().map(record -> new Request(record.key.value(),
                record.kind, record.fingerprint(), record.acceptedAt, record.providerReference,
                outcome(record.outcome))).toList();
        List<Effect> effects = ledger.effects().stream().map(effect -> new Effect(effect.idempotencyKey().value(),
                effect.kind(), effect.providerReference(), effect.performedAt())).toList();
        State state = new State(VERSION, lastReference, ledger.honoursKeys(), merchants, terminals, requests, effects);
        try {
            Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try {
                Files.write(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The sandbox cannot write its state to " + file, e);
        }
    }

    /** Reads the state back into an empty backend's parts; returns the last reference drawn, 0 without a file. */
    long readInto(WorldState world, IdempotencyLedger ledger) {
        if (!Files.exists(file)) {
            return 0;
        }
        State state;
        try {
            state = MAPPER.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("The sandbox cannot read its state from " + file, e);
        }
        if (state.version() != VERSION) {
            throw new IllegalStateException("The sandbox state in " + file + " has version " + state.version()
                    + "; this sandbox reads version " + VERSION);
        }
        for (Merchant saved : state.merchants()) {
            MerchantState merchant = new MerchantState(saved.number(), saved.name(), saved.unifiedSocialCreditCode(),
                    saved.legalRepresentativeName());
            merchant.deleted = saved.deleted();
            merchant.account = saved.account();
            merchant.accountUnbindInReview = saved.accountUnbindInReview();
            merchant.accountChangeInterval = saved.accountChangeInterval();
            merchant.accountLastChangedAt = saved.accountLastChangedAt();
            merchant.registeredPhone = saved.registeredPhone();
            merchant.registeredTerminals.addAll(saved.registeredTerminals());
            merchant.unsettledByTerminal.putAll(saved.unsettledByTerminal());
            merchant.fees = saved.fees();
            world.merchants.put(merchant.number, merchant);
        }
        for (Terminal saved : state.terminals()) {
            TerminalState terminal = new TerminalState(saved.serialNumber(), saved.model(), saved.status(),
                    saved.storeId());
            terminal.boundMerchantNumbers.addAll(saved.boundMerchantNumbers());
            saved.peripherals().forEach(peripheral -> terminal.peripheralsById.put(peripheral.id(), peripheral));
            terminal.usageRecords.addAll(saved.usageRecords());
            terminal.settings.putAll(saved.settings());
            terminal.setUp = saved.setUp();
            world.terminals.put(terminal.serialNumber, terminal);
        }
        ledger.honourKeys(state.honoursKeys());
        for (Request saved : state.requests()) {
            OperationRecord record = OperationRecord.restored(new IdempotencyKey(saved.key()), saved.kind(),
                    saved.fingerprint(), saved.acceptedAt());
            record.providerReference = saved.providerReference();
            record.outcome = outcome(saved.outcome());
            ledger.remember(record);
        }
        for (Effect saved : state.effects()) {
            ledger.restoreEffect(new SandboxEffect(new IdempotencyKey(saved.key()), saved.kind(),
                    saved.providerReference(), saved.performedAt()));
        }
        return state.lastReference();
    }

    /**
     * What identifies a request besides its key, as a digest: the parameters as JSON (account numbers
     * included, so two accounts with the same mask differ), or their text when a parameter has no JSON form.
     */
    static String digest(List<Object> parameters) {
        String content;
        try {
            content = MAPPER.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            content = String.valueOf(parameters);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", impossible);
        }
    }

    private static Outcome outcome(OperationOutcome outcome) {
        Optional<String> none = Optional.empty();
        if (outcome instanceof OperationOutcome.Done done) {
            return new Outcome("DONE", Optional.of(done.providerReference()), done.attributes(), none, none, none);
        }
        if (outcome instanceof OperationOutcome.Pending pending) {
            return new Outcome("PENDING", pending.providerReference(), Map.of(), none, none, none);
        }
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return new Outcome("REJECTED", none, Map.of(), Optional.of(rejected.code().code()),
                    Optional.of(rejected.providerCode()), Optional.of(rejected.message()));
        }
        if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return new Outcome("RETRYABLE", none, Map.of(), none, Optional.of(failure.providerCode()),
                    Optional.of(failure.message()));
        }
        if (outcome instanceof OperationOutcome.NotApplicable notApplicable) {
            return new Outcome("NOT_APPLICABLE", none, Map.of(), none, none, Optional.of(notApplicable.reason()));
        }
        OperationOutcome.Unknown unknown = (OperationOutcome.Unknown) outcome;
        return new Outcome("UNKNOWN", none, Map.of(), none, none, Optional.of(unknown.reason()));
    }

    private static OperationOutcome outcome(Outcome saved) {
        String message = saved.message().orElse("");
        return switch (saved.type()) {
            case "DONE" -> new OperationOutcome.Done(saved.reference().orElseThrow(), saved.attributes());
            case "PENDING" -> saved.reference().<OperationOutcome>map(reference -> OperationOutcome.pending(reference,
                    CompletionPolicy.manual().pollAfter())).orElse(OperationOutcome.pending(Duration.ofSeconds(30)));
            case "REJECTED" -> OperationOutcome.rejected(standardCode(saved.code().orElseThrow()),
                    saved.providerCode().orElseThrow(), message);
            case "RETRYABLE" -> OperationOutcome.retryable(saved.providerCode().orElseThrow(), message,
                    Duration.ofSeconds(1));
            case "NOT_APPLICABLE" -> OperationOutcome.notApplicable(message);
            default -> OperationOutcome.unknown(message);
        };
    }

    private static ErrorCode standardCode(String code) {
        for (StandardErrorCode standard : StandardErrorCode.values()) {
            if (standard.code().equals(code)) {
                return standard;
            }
        }
        throw new IllegalStateException("The sandbox never answers with " + code);
    }

    private static <T> JsonDeserializer<T> textual(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser json, DeserializationContext unused) throws IOException {
                return parse.apply(json.getValueAsString());
            }
        };
    }
}
