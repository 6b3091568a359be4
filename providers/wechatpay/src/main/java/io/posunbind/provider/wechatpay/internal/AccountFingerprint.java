package io.posunbind.provider.wechatpay.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * What a lookup compares to tell whether a sub-merchant's settlement already moved to the requested account,
 * when WeChat Pay's application number was lost with a timed-out answer: the account type, the bank and the
 * masked number. WeChat Pay shows the bound account only masked, so two masked forms are taken to match when
 * their visible leading and trailing digits agree; an account at the same bank with the same visible digits
 * would be taken for ours, which is why a found match is reported only as done, never used to send anything.
 *
 * <p>Kept in the operation's note ({@code type|bank|masked}): no clear number, no name.
 */
record AccountFingerprint(String accountType, String bank, String maskedNumber) {

    private static final String PREFIX = "wechatpay-target v1 ";

    AccountFingerprint {
        Objects.requireNonNull(accountType, "accountType");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(maskedNumber, "maskedNumber");
    }

    String toNote() {
        return PREFIX + accountType + "|" + bank.replace("|", "/") + "|" + maskedNumber;
    }

    static Optional<AccountFingerprint> fromNote(Optional<String> note) {
        if (note.isEmpty() || !note.get().startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = note.get().substring(PREFIX.length()).split("\\|", -1);
        return parts.length == 3 ? Optional.of(new AccountFingerprint(parts[0], parts[1], parts[2]))
                : Optional.empty();
    }

    /** Whether the account WeChat Pay shows now is, as far as its masked form tells, this one. */
    boolean matches(String shownType, String shownBank, String shownMaskedNumber) {
        if (!accountType.equals(shownType) || shownMaskedNumber == null
                || !(bank.equals(shownBank) || bank.replace("|", "/").equals(shownBank))) {
            return false;
        }
        String head = visibleHead(shownMaskedNumber);
        String tail = visibleTail(shownMaskedNumber);
        String ourHead = visibleHead(maskedNumber);
        String ourTail = visibleTail(maskedNumber);
        int tailLength = Math.min(tail.length(), ourTail.length());
        int headLength = Math.min(head.length(), ourHead.length());
        return tailLength > 0
                && tail.substring(tail.length() - tailLength).equals(ourTail.substring(ourTail.length() - tailLength))
                && head.substring(0, headLength).equals(ourHead.substring(0, headLength));
    }

    private static String visibleHead(String masked) {
        int star = masked.indexOf('*');
        return star < 0 ? masked : masked.substring(0, star);
    }

    private static String visibleTail(String masked) {
        int star = masked.lastIndexOf('*');
        return star < 0 ? masked : masked.substring(star + 1);
    }
}
