package io.posunbind;

import io.posunbind.internal.input.InputText;
import io.posunbind.rules.RuleViolation;
import io.posunbind.spi.API;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.model.Document;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an application asks for when it opens an unbind case. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * UnbindRequest request = UnbindRequest.builder()
 *         .provider("sandbox")
 *         .merchantNumber("898310048161234")
 *         .terminalSerial("SN-00012345")
 *         .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE)
 *         .scope(BindingKind.DEVICE, BindingKind.ACCOUNT, BindingKind.MERCHANT_INFO)
 *         .replacement(ReplacementTerminal.of("SN-NEW-0001", "A920Pro"))
 *         .requestedBy(Actor.operator("zhang.wei"))
 *         .build();
 * }</pre>
 *
 * @param providerId     the provider that carries the unbind out
 * @param merchantNumber the merchant number (商户号)
 * @param terminalSerial the old terminal's serial number
 * @param reason         why
 * @param reasonNote     the merchant's own words; required for {@link UnbindReason#OTHER}, may be empty otherwise
 * @param scope          which bindings to undo, at least one
 * @param replacement    the replacement terminal, if the merchant replaces rather than leaves
 * @param requestedBy    who opens the case
 * @param documents      documents submitted with the request; more can follow
 * @param transferTo     for a transfer (换绑): the merchant that receives the terminal; the terminal is
 *                       unbound from this merchant and bound to that one, never to both at once
 * @param makeBeforeBreak whether the replacement is set up and tested before the old terminal is cut off
 * @param locale         the case's language, told to the provider with every call (texts it shows the
 *                       merchant); zh-CN when not given. Since SPI 2.0
 */
@API(status = API.Status.STABLE, since = "0.1")
public record UnbindRequest(String providerId, String merchantNumber, String terminalSerial, UnbindReason reason,
        String reasonNote, Set<BindingKind> scope, Optional<ReplacementTerminal> replacement, Actor requestedBy,
        List<Document> documents, Optional<TransferTarget> transferTo, boolean makeBeforeBreak, Locale locale) {

    /** A request without transfer and without make-before-break. */
    public UnbindRequest(String providerId, String merchantNumber, String terminalSerial, UnbindReason reason,
            String reasonNote, Set<BindingKind> scope, Optional<ReplacementTerminal> replacement, Actor requestedBy,
            List<Document> documents) {
        this(providerId, merchantNumber, terminalSerial, reason, reasonNote, scope, replacement, requestedBy, documents,
                Optional.empty(), false, DEFAULT_LOCALE);
    }

    /** The case's language when the request names none: the merchants served are mostly in China. */
    public static final Locale DEFAULT_LOCALE = Locale.SIMPLIFIED_CHINESE;

    /** Longest accepted identifier (merchant number, serial, provider id). */
    public static final int MAX_IDENTIFIER_LENGTH = 64;
    /** Longest accepted reason note, and longest note of any command (cancel, retry, review). */
    public static final int MAX_NOTE_LENGTH = 500;
    /** Longest accepted name in the request's documents and replacement (merchant, holder, model, person). */
    public static final int MAX_NAME_LENGTH = InputText.MAX_NAME_LENGTH;
    /** Longest accepted file reference in a document. */
    public static final int MAX_REFERENCE_LENGTH = InputText.MAX_REFERENCE_LENGTH;

    /**
     * Checks the fields: every field non-null; identifiers (provider id, merchant number, serial) of 1 to
     * {@value #MAX_IDENTIFIER_LENGTH} characters without spaces, invisible, control or direction
     * characters or unpaired surrogates; a non-empty scope; a note for {@link UnbindReason#OTHER} of at
     * most {@value #MAX_NOTE_LENGTH} characters; names of at most {@value #MAX_NAME_LENGTH} and file
     * references of at most {@value #MAX_REFERENCE_LENGTH} characters. The same limits hold whether the
     * request comes from the builder or from JSON. Card, account, identity and mobile numbers typed into
     * the note or the documents' names and references are masked before the request exists, so they are
     * never stored, exported or printed in clear.
     *
     * @throws InvalidRequestException listing every problem at once; its code is
     *         {@link CoreErrorCode#UNSAFE_CHARACTERS} when a value holds unsafe characters
     */
    public UnbindRequest {
        List<RuleViolation> problems = new ArrayList<>();
        checkIdentifier(problems, "providerId", providerId);
        checkIdentifier(problems, "merchantNumber", merchantNumber);
        checkIdentifier(problems, "terminalSerial", terminalSerial);
        if (reason == null) {
            problems.add(InvalidRequestException.problem("reason", "a reason is required; one of "
                    + List.of(UnbindReason.values())));
        }
        if (reasonNote == null) {
            reasonNote = "";
        }
        reasonNote = InputText.freeText(problems, "reasonNote", reasonNote, MAX_NOTE_LENGTH, true);
        if (reason == UnbindReason.OTHER && reasonNote.isBlank()) {
            problems.add(InvalidRequestException.problem("reasonNote", "say in the note why, for reason OTHER"));
        }
        if (scope == null || scope.isEmpty() || scope.stream().anyMatch(Objects::isNull)) {
            problems.add(InvalidRequestException.problem("scope", "name at least one binding to undo"));
        }
        if (replacement == null) {
            replacement = Optional.empty();
        }
        if (requestedBy == null) {
            problems.add(InvalidRequestException.problem("requestedBy", "every command carries an actor"));
        }
        if (transferTo == null) {
            transferTo = Optional.empty();
        }
        if (transferTo.isPresent()) {
            if (replacement.isPresent()) {
                problems.add(InvalidRequestException.problem("transferTo",
                        "cannot be combined with a replacement: a transfer moves this terminal to another merchant"));
            }
            if (scope != null && !scope.contains(BindingKind.DEVICE)) {
                problems.add(InvalidRequestException.problem("transferTo", "needs DEVICE in the scope"));
            }
            if (transferTo.get().merchantNumber().equals(merchantNumber)) {
                problems.add(InvalidRequestException.problem("transferTo", "must name another merchant"));
            }
        }
        if (makeBeforeBreak && replacement.isEmpty()) {
            problems.add(InvalidRequestException.problem("makeBeforeBreak", "needs a replacement terminal"));
        }
        if (documents == null || documents.stream().anyMatch(Objects::isNull)) {
            problems.add(InvalidRequestException.problem("documents", "documents must not be or contain null"));
        } else {
            documents = InputText.documents(problems, "documents", documents);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The unbind request is invalid", problems);
        }
        if (locale == null) {
            locale = DEFAULT_LOCALE;
        }
        scope = Set.copyOf(EnumSet.copyOf(scope));
        documents = List.copyOf(documents);
    }

    private static void checkIdentifier(List<RuleViolation> problems, String field, String value) {
        InputText.identifier(problems, field, value, MAX_IDENTIFIER_LENGTH);
    }

    /** Whether this request transfers the terminal to another merchant (换绑). */
    public boolean transfers() {
        return transferTo.isPresent();
    }

    /** Whether the scope includes a binding. */
    public boolean includes(BindingKind binding) {
        return scope.contains(binding);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link UnbindRequest}; not thread-safe, use one per request. */
    public static final class Builder {
        private String providerId;
        private String merchantNumber;
        private String terminalSerial;
        private UnbindReason reason;
        private String reasonNote = "";
        private final Set<BindingKind> scope = EnumSet.noneOf(BindingKind.class);
        private ReplacementTerminal replacement;
        private Actor requestedBy;
        private final List<Document> documents = new ArrayList<>();
        private TransferTarget transferTo;
        private boolean makeBeforeBreak;
        private Locale locale = DEFAULT_LOCALE;

        private Builder() {
        }

        /** The provider's id, as in {@link PaymentProvider#id()}. */
        public Builder provider(String providerId) {
            this.providerId = providerId;
            return this;
        }

        /** The merchant number (商户号). */
        public Builder merchantNumber(String merchantNumber) {
            this.merchantNumber = merchantNumber;
            return this;
        }

        /** The old terminal's serial number. */
        public Builder terminalSerial(String terminalSerial) {
            this.terminalSerial = terminalSerial;
            return this;
        }

        /** Why the merchant unbinds. */
        public Builder reason(UnbindReason reason) {
            this.reason = reason;
            return this;
        }

        /** Why, in the merchant's words. */
        public Builder reasonNote(String reasonNote) {
            this.reasonNote = reasonNote;
            return this;
        }

        /** Adds bindings to undo. */
        public Builder scope(BindingKind... bindings) {
            scope.addAll(List.of(bindings));
            return this;
        }

        /** Undo all three bindings. */
        public Builder allBindings() {
            return scope(BindingKind.values());
        }

        /** The replacement terminal. */
        public Builder replacement(ReplacementTerminal replacement) {
            this.replacement = replacement;
            return this;
        }

        /** Transfers the terminal to another merchant (换绑) instead of retiring it. */
        public Builder transferTo(TransferTarget target) {
            this.transferTo = target;
            return this;
        }

        /** Sets up and tests the replacement before the old terminal is cut off. */
        public Builder makeBeforeBreak(boolean makeBeforeBreak) {
            this.makeBeforeBreak = makeBeforeBreak;
            return this;
        }

        /** The case's language (zh-CN by default), told to the provider with every call. */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        /** Who opens the case. */
        public Builder requestedBy(Actor actor) {
            this.requestedBy = actor;
            return this;
        }

        /** Adds documents submitted with the request. */
        public Builder documents(Document... added) {
            documents.addAll(List.of(added));
            return this;
        }

        /** Adds documents submitted with the request. */
        public Builder documents(List<Document> added) {
            documents.addAll(added);
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws InvalidRequestException listing every problem at once
         */
        public UnbindRequest build() {
            return new UnbindRequest(providerId, merchantNumber, terminalSerial, reason, reasonNote, scope,
                    Optional.ofNullable(replacement), requestedBy, documents, Optional.ofNullable(transferTo),
                    makeBeforeBreak, locale);
        }
    }
}
