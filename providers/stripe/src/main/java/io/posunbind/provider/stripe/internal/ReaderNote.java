package io.posunbind.provider.stripe.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The adapter's note on a delete, persisted by the engine before the call: the reader's id as Stripe
 * knows it, and its location. A later lookup asks Stripe for exactly this reader, also in a restarted
 * process, and a resend deletes this reader, never another one registered since under the same serial.
 *
 * @param readerId   Stripe's reader id ({@code tmr_...})
 * @param locationId the reader's location ({@code tml_...}), if it had one
 */
record ReaderNote(String readerId, Optional<String> locationId) {

    private static final Pattern FORM = Pattern.compile("reader=([A-Za-z0-9_]{1,200})(?:;location=([A-Za-z0-9_]{1,200}))?");

    ReaderNote {
        Objects.requireNonNull(readerId, "readerId");
        Objects.requireNonNull(locationId, "locationId");
    }

    static Optional<ReaderNote> parse(Optional<String> note) {
        return note.map(FORM::matcher).filter(Matcher::matches)
                .map(m -> new ReaderNote(m.group(1), Optional.ofNullable(m.group(2))));
    }

    String format() {
        return "reader=" + readerId + locationId.map(location -> ";location=" + location).orElse("");
    }
}
