package io.posunbind.scenarios;

import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.IdempotencyKey;
import io.posunbind.spi.InstitutionApproval;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.SentOperation;
import io.posunbind.spi.SpiVersion;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.DocumentChecklist;
import io.posunbind.spi.model.DocumentKind;
import io.posunbind.spi.model.MerchantInfo;
import io.posunbind.spi.model.Peripheral;
import io.posunbind.spi.model.ProviderCallback;
import io.posunbind.spi.model.ProviderNotification;
import io.posunbind.spi.model.RawCallback;
import io.posunbind.spi.model.Terminal;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.VerificationDemand;
import io.posunbind.spi.model.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A provider shaped like a terminal-management API (Adyen's Management API, Stripe Terminal): it reads
 * terminals and "unbinds" one by reassigning it to the company inventory. By default it declares what
 * such an API has (only {@link OperationKind#UNBIND_TERMINAL}, no institution approval, the international
 * document checklist); each scenario may declare otherwise, or answer an operation its own way.
 * Remembers every mutating call it received, so scenarios assert what the provider saw.
 */
final class TerminalInventoryProvider implements PaymentProvider {
    @Override
    public String requestedSpiVersion() {
        return SpiVersion.CURRENT;
    }


    static final String ID = "terminal-inventory";
    static final Pattern SERIAL = Pattern.compile("[A-Z0-9]{2,12}-[0-9]{9}");

    private final Map<String, Terminal> terminals = new ConcurrentHashMap<>();
    private final Map<String, OperationOutcome> byKey = new ConcurrentHashMap<>();
    private final List<OperationKind> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> receivedKeys = Collections.synchronizedList(new ArrayList<>());
    private final Map<OperationKind, OperationOutcome> answers = Collections.synchronizedMap(
            new EnumMap<>(OperationKind.class));
    private Set<OperationKind> offered = Set.of(OperationKind.UNBIND_TERMINAL);
    private volatile boolean operationsFailure;
    private InstitutionApproval approval = InstitutionApproval.NOT_NEEDED;
    private volatile DocumentChecklist checklist = DocumentChecklist.international();
    private Set<DocumentKind> additional = Set.of();
    private final Devices devices = new Devices();
    private final Map<String, MerchantInfo> merchants = new ConcurrentHashMap<>();
    private volatile boolean hasMerchantInfo;

    /** Keeps merchant info (an API with merchant accounts) for the merchant: the provider gains a merchant-info adapter. */
    TerminalInventoryProvider withMerchantInfo(MerchantInfo info) {
        merchants.put(info.merchantNumber(), info);
        hasMerchantInfo = true;
        return this;
    }

    /** The merchant info as the provider holds it now, empty once deleted. */
    Optional<MerchantInfo> merchantInfo(String merchantNumber) {
        return Optional.ofNullable(merchants.get(merchantNumber));
    }

    /** Adds a terminal in use at a merchant's store. */
    TerminalInventoryProvider withTerminal(String serial, String model, List<Peripheral> peripherals,
            String... merchants) {
        terminals.put(serial, new Terminal(serial, model, TerminalStatus.ACTIVE, List.of(merchants),
                Optional.of("store-1"), peripherals));
        return this;
    }

    /** Puts a terminal in transition (a reassignment under way), or back to the status it had. */
    void moving(String serial, boolean underWay) {
        Terminal old = terminals.get(serial);
        terminals.put(serial, new Terminal(serial, old.model(),
                underWay ? TerminalStatus.IN_TRANSITION : TerminalStatus.ACTIVE, old.boundMerchantNumbers(),
                old.storeId(), old.peripherals()));
    }

    TerminalInventoryProvider offering(Set<OperationKind> operations) {
        this.offered = Set.copyOf(operations);
        return this;
    }

    /** Makes {@link #supportedOperations()} throw, as an adapter with a bug in its declarations would. */
    TerminalInventoryProvider failingToDeclareOperations() {
        this.operationsFailure = true;
        return this;
    }

    TerminalInventoryProvider approval(InstitutionApproval declared) {
        this.approval = declared;
        return this;
    }

    TerminalInventoryProvider checklist(DocumentChecklist declared) {
        this.checklist = declared;
        return this;
    }

    /** Declares no checklist: the SPI's default applies. */
    TerminalInventoryProvider withoutDeclaredChecklist() {
        this.checklist = null;
        return this;
    }

    TerminalInventoryProvider additionally(Set<DocumentKind> kinds) {
        this.additional = Set.copyOf(kinds);
        return this;
    }

    /**
     * Refuses the first call of the kind "for now" (HTTP 409, another operation on the terminal in progress);
     * with {@code actedAnyway} the provider carried it out all the same, and a lookup of its key says so.
     */
    TerminalInventoryProvider refusingOnceForNow(OperationKind kind, boolean actedAnyway) {
        refuseOnce.put(kind, actedAnyway);
        return this;
    }

    private final Map<OperationKind, Boolean> refuseOnce = new ConcurrentHashMap<>();

    /** Answers every call of the kind with this outcome instead of carrying it out. */
    TerminalInventoryProvider answering(OperationKind kind, OperationOutcome outcome) {
        answers.put(kind, outcome);
        return this;
    }

    /** The mutating calls received, in order. */
    List<OperationKind> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    Terminal terminal(String serial) {
        return terminals.get(serial);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Terminal inventory (Adyen-like)";
    }

    @Override
    public Optional<DeviceUnbindAdapter> deviceAdapter() {
        return Optional.of(devices);
    }

    private volatile Sms sms;

    /**
     * Demands an SMS code before a terminal is unbound, and remembers idempotency keys only for
     * {@code keyRetention}: the first SMS's sending times out (it reached the phone all the same).
     */
    TerminalInventoryProvider withSmsVerification(Duration keyRetention) {
        this.sms = new Sms();
        this.keyRetention = keyRetention;
        return this;
    }

    /** The SMS codes sent to the merchant's phone. */
    int smsSent() {
        return sms.sent.get();
    }

    private volatile Duration keyRetention;

    @Override
    public Optional<Duration> idempotencyKeyRetention() {
        return Optional.ofNullable(keyRetention);
    }

    @Override
    public Optional<VerificationAdapter> verificationAdapter() {
        return Optional.ofNullable(sms);
    }

    private final class Sms implements VerificationAdapter {

        private final AtomicInteger sent = new AtomicInteger();

        @Override
        public Optional<VerificationDemand> demandFor(OperationKind kind, String merchantNumber) {
            return kind == OperationKind.UNBIND_TERMINAL ? Optional.of(new VerificationDemand(
                    VerificationDemand.Method.SMS_CODE, 3, Duration.ofMinutes(10))) : Optional.empty();
        }

        @Override
        public OperationOutcome issueChallenge(OperationContext context, String merchantNumber,
                VerificationDemand demand) {
            // Past the key retention the provider no longer recognises the key: every call is a new SMS.
            int number = sent.incrementAndGet();
            byKey.put(context.idempotencyKey().value(), OperationOutcome.done("CH-" + number));
            return number == 1 ? OperationOutcome.unknown("read timed out after 30 s")
                    : OperationOutcome.done("CH-" + number);
        }

        @Override
        public VerificationResult checkAnswer(String challengeId, String answer) {
            return answer.equals("246810") ? VerificationResult.VERIFIED : VerificationResult.WRONG_ANSWER;
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.ofNullable(byKey.get(reference.idempotencyKey().value()));
        }
    }

    @Override
    public Optional<CallbackParser> callbackParser() {
        return Optional.of(new Webhooks());
    }

    /** The idempotency keys of the mutating calls received, in order. */
    List<String> receivedKeys() {
        synchronized (receivedKeys) {
            return List.copyOf(receivedKeys);
        }
    }

    /**
     * A webhook as this provider posts it: {@code id|epochSecond|REF or KEY|reference|DONE}, "signed" with a
     * shared token header (the scheme is not what these scenarios are about).
     */
    static RawCallback webhook(String id, Instant sentAt, boolean byKey, String reference) {
        String body = id + "|" + sentAt.getEpochSecond() + "|" + (byKey ? "KEY" : "REF") + "|" + reference + "|DONE";
        return new RawCallback("/webhooks/" + ID, Map.of(WEBHOOK_TOKEN_HEADER, List.of(WEBHOOK_TOKEN)),
                body.getBytes(StandardCharsets.UTF_8), sentAt);
    }

    /** A webhook about something no case waits for, such as a settings change: {@code id|epochSecond|EVENT|type}. */
    static RawCallback unrelatedWebhook(String id, Instant sentAt, String eventType) {
        String body = id + "|" + sentAt.getEpochSecond() + "|EVENT|" + eventType;
        return new RawCallback("/webhooks/" + ID, Map.of(WEBHOOK_TOKEN_HEADER, List.of(WEBHOOK_TOKEN)),
                body.getBytes(StandardCharsets.UTF_8), sentAt);
    }

    private static final String WEBHOOK_TOKEN_HEADER = "X-Inventory-Token";
    private static final String WEBHOOK_TOKEN = "inventory-webhook-token";

    private static final class Webhooks implements CallbackParser {

        @Override
        public boolean verifiesNativeNotifications() {
            return true;
        }

        @Override
        public ProviderNotification verify(RawCallback request) {
            if (!request.header(WEBHOOK_TOKEN_HEADER).equals(Optional.of(WEBHOOK_TOKEN))) {
                throw new ProviderException(NotificationErrorCode.SIGNATURE_INVALID, "token", "not signed");
            }
            String[] fields = request.bodyText().split("\\|");
            if (fields[2].equals("EVENT")) {
                return new ProviderNotification("inventory-webhooks", fields[0],
                        Instant.ofEpochSecond(Long.parseLong(fields[1])), new ProviderCallback.ConcernsNoCase(fields[3]));
            }
            OperationOutcome done = OperationOutcome.done("finished-" + fields[3]);
            ProviderCallback content = fields[2].equals("KEY")
                    ? ProviderCallback.OperationFinished.byIdempotencyKey(new IdempotencyKey(fields[3]), done)
                    : ProviderCallback.OperationFinished.byReference(fields[3], done);
            return new ProviderNotification("inventory-webhooks", fields[0],
                    Instant.ofEpochSecond(Long.parseLong(fields[1])), content);
        }
    }

    @Override
    public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
        return hasMerchantInfo ? Optional.of(new MerchantAccounts()) : Optional.empty();
    }

    @Override
    public Optional<Pattern> terminalSerialPattern() {
        return Optional.of(SERIAL);
    }

    @Override
    public Set<OperationKind> supportedOperations() {
        if (operationsFailure) {
            throw new IllegalStateException("operations not configured");
        }
        return offered;
    }

    @Override
    public InstitutionApproval institutionApproval() {
        return approval;
    }

    @Override
    public DocumentChecklist documentChecklist() {
        return checklist == null ? PaymentProvider.super.documentChecklist() : checklist;
    }

    @Override
    public Set<DocumentKind> additionalDocuments(String reason, Set<String> bindings, boolean withReplacement) {
        return additional;
    }

    private final class MerchantAccounts implements MerchantInfoAdapter {

        @Override
        public Optional<MerchantInfo> readMerchantInfo(String merchantNumber) {
            return Optional.ofNullable(merchants.get(merchantNumber));
        }

        @Override
        public OperationOutcome detachTerminal(OperationContext context, String merchantNumber,
                String terminalSerial) {
            return devices.answer(context, () -> {
                MerchantInfo old = merchants.get(merchantNumber);
                merchants.put(merchantNumber, new MerchantInfo(merchantNumber, old.name(),
                        old.unifiedSocialCreditCode(), old.legalRepresentativeName(),
                        Math.max(0, old.activeTerminalCount() - 1)));
                return OperationOutcome.done("detached-" + terminalSerial);
            });
        }

        @Override
        public OperationOutcome deleteMerchantInfo(OperationContext context, String merchantNumber) {
            return devices.answer(context, () -> {
                merchants.remove(merchantNumber);
                return OperationOutcome.done("deleted-" + merchantNumber);
            });
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.ofNullable(byKey.get(reference.idempotencyKey().value()));
        }
    }

    private final class Devices implements DeviceUnbindAdapter {

        @Override
        public Terminal readTerminal(String serialNumber) {
            Terminal terminal = terminals.get(serialNumber);
            if (terminal == null) {
                throw new ProviderException(StandardErrorCode.TERMINAL_NOT_FOUND, "404", "No terminal " + serialNumber);
            }
            return terminal;
        }

        @Override
        public TerminalDataExport exportTerminalData(String serialNumber) {
            return new TerminalDataExport(serialNumber, List.of(), Map.of("firmware", "Castles_Android 1.79"));
        }

        @Override
        public OperationOutcome unbindPeripheral(OperationContext context, String serialNumber,
                Peripheral peripheral) {
            return answer(context, () -> OperationOutcome.done("P-" + peripheral.id()));
        }

        @Override
        public OperationOutcome disableTerminal(OperationContext context, String serialNumber) {
            return answer(context, () -> OperationOutcome.rejected(StandardErrorCode.UNSUPPORTED_OPERATION,
                    "404", "The Management API has no such operation"));
        }

        @Override
        public OperationOutcome unbindTerminal(OperationContext context, String serialNumber) {
            return answer(context, () -> {
                // Reassigned to the company inventory: no merchant, no store.
                Terminal old = terminals.get(serialNumber);
                terminals.put(serialNumber, new Terminal(serialNumber, old.model(), TerminalStatus.UNBOUND,
                        List.of(), Optional.empty(), old.peripherals()));
                return OperationOutcome.done("reassigned-" + serialNumber);
            });
        }

        @Override
        public OperationOutcome decommissionTerminal(OperationContext context, String serialNumber) {
            return answer(context, () -> OperationOutcome.rejected(StandardErrorCode.UNSUPPORTED_OPERATION,
                    "404", "The Management API has no such operation"));
        }

        @Override
        public Optional<OperationOutcome> lookup(SentOperation reference) {
            return Optional.ofNullable(byKey.get(reference.idempotencyKey().value()));
        }

        private OperationOutcome answer(OperationContext context, Supplier<OperationOutcome> act) {
            received.add(context.kind());
            receivedKeys.add(context.idempotencyKey().value());
            Boolean actedAnyway = refuseOnce.remove(context.kind());
            if (actedAnyway != null) {
                if (actedAnyway) {
                    byKey.put(context.idempotencyKey().value(), act.get());
                }
                return OperationOutcome.rejected(StandardErrorCode.OPERATION_IN_PROGRESS, "409",
                        "Another operation on the terminal is in progress");
            }
            OperationOutcome outcome = byKey.computeIfAbsent(context.idempotencyKey().value(),
                    key -> answers.containsKey(context.kind()) ? answers.get(context.kind()) : act.get());
            return outcome;
        }
    }
}
