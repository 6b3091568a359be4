package io.posunbind.provider.adyen.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Flattens what Adyen reports of a terminal (its settings, its assignment) into the backup's
 * {@code settings} map: {@code wifiProfiles.profiles[0].ssid = Shop-WiFi}. Leaves out every field that is a
 * credential: Wi-Fi pre-shared keys, the terminal's passcodes and PINs, Nexo encryption passphrases, event
 * URL passwords, certificates. The backup must never hold a secret (see TerminalDataExport), and a restore
 * sets those again from the merchant's own records. Stateless.
 */
final class SettingsExport {

    /**
     * Words of a field name (split at camel case, digits and separators) that mark a credential in the
     * Terminal settings model: {@code psk}, {@code adminMenuPin}, {@code eapClientPwd}, {@code eapCaCert},
     * {@code encryptionKey.passphrase}. Whole words, so {@code tipping} or {@code shipping} stay.
     */
    private static final Set<String> CREDENTIAL_WORDS = Set.of("psk", "pin", "pins", "passcode", "passcodes",
            "password", "passwords", "pwd", "passphrase", "secret", "secrets", "key", "keys", "token", "tokens",
            "cert", "certs", "certificate", "certificates", "credential", "credentials");

    private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");

    /** The longest value kept; longer ones (an embedded file) are replaced by their length. */
    private static final int LONGEST_VALUE = 2048;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SettingsExport() {
    }

    /** Adds the JSON document's fields under {@code prefix}, credentials left out. */
    static void flatten(String prefix, String json, Map<String, String> into) {
        try {
            add(prefix, JSON.readTree(json), into);
        } catch (IOException e) {
            into.put(prefix, "unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }

    static boolean isCredential(String fieldName) {
        for (String word : WORD_BOUNDARY.split(fieldName)) {
            if (CREDENTIAL_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static void add(String path, JsonNode node, Map<String, String> into) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!isCredential(field.getKey())) {
                    add(path + "." + field.getKey(), field.getValue(), into);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                add(path + "[" + i + "]", node.get(i), into);
            }
        } else {
            String value = node.asText();
            into.put(path, value.length() <= LONGEST_VALUE ? value : "(" + value.length() + " characters left out)");
        }
    }
}
