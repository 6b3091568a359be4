package io.posunbind.internal.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compresses the parts of case documents for PostgreSQL. PostgreSQL compresses a value only in a row longer
 * than about 2 KB (its TOAST threshold, fixed when the server is built), and most parts are a few hundred
 * bytes: stored as text, 5,000 waiting cases' parts took 19 MB, about a kilobyte per part. Deflate on so short
 * a text finds little to refer back to, so it starts from a preset dictionary of the JSON names and values
 * the engine's parts are made of; any text still round-trips, the dictionary only decides how well it shrinks.
 * (H2 compresses whole pages itself, see {@code JdbcCaseStore}, so its parts stay text.)
 *
 * <p>The stored form is a format byte, then raw deflate with dictionary 1. A later dictionary gets a new
 * format byte, and this one stays readable. Stateless and thread-safe.
 */
final class PartCompression {

    private static final byte FORMAT_DICTIONARY_1 = 1;

    /** Common strings of parts; the most frequent last, where deflate reaches them with the shortest distance. */
    private static final byte[] DICTIONARY_1 = ("\"boundMerchantNumbers\":[\"peripherals\":[]},\"activeTerminalCount\":1}"
            + "\"legalRepresentativeName\":\"settlementAccount\":{\"accountNumber\":\"bankName\":\"holderName\":"
            + "{\"backupId\":\"keyId\":\"sealedJson\":\"{\\\"formatVersion\\\":1,\\\"backupId\\\":\\\"\\\",\\\"caseId\\\":"
            + "\\\"keyId\\\":\\\"sealedAt\\\":\\\"chunkCount\\\":1,\\\"manifest\\\":{\\\"usageRecordCount\\\":0,"
            + "\\\"settingCount\\\":0,\\\"chunks\\\":[{\\\"index\\\":0,\\\"content\\\":\\\"SETTINGS\\\",\\\"firstRecord\\\":0,"
            + "\\\"recordCount\\\":0}]},\\\"manifestNonce\\\":\\\"manifestTag\\\":\\\"==\\\",\\\"chunks\\\":[{\\\"index\\\":0,"
            + "\\\"nonce\\\":\\\"ciphertext\\\":\\\"tag\\\":\\\"==\\\"}]}\",\"takenAt\":\"verified\":true}"
            + "{\"quoteId\":\"items\":[{\"kind\":\"UNBIND_FEE\",\"amount\":{\"minorUnits\":\"currency\":\"CNY\","
            + "\"zero\":false},\"description\":\"},{\"kind\":\"SIM_FEE\",\"DEPOSIT_REFUND\"],\"validUntil\":\""
            + "{\"profile\":\"CN\",\"items\":[{\"kind\":\"BUSINESS_LICENCE\",\"reasons\":[],\"bindings\":[],"
            + "\"onlyWithReplacement\":false},{\"kind\":\"TERMINAL_INFORMATION\",\"reasons\":[],\"bindings\":[],"
            + "\"onlyWithReplacement\":false},{\"kind\":\"SETTLEMENT_ACCOUNT\",\"reasons\":[],\"bindings\":[\"ACCOUNT\"],"
            + "\"onlyWithReplacement\":false},{\"kind\":\"TRAINING_MATERIAL\",\"reasons\":[],\"bindings\":[],"
            + "\"onlyWithReplacement\":true},{\"kind\":\"LOSS_REPORT\",\"reasons\":[\"DEVICE_LOST_OR_STOLEN\"],"
            + "\"bindings\":[],\"onlyWithReplacement\":false},{\"kind\":\"OWNERSHIP_TRANSFER_AGREEMENT\",\"reasons\":"
            + "[\"OWNERSHIP_TRANSFER\"],\"bindings\":[],\"onlyWithReplacement\":false},{\"kind\":"
            + "\"LEGAL_REPRESENTATIVE_IDENTITY\",\"reasons\":[\"CLOSURE\"],\"bindings\":[\"MERCHANT_INFO\"],"
            + "\"onlyWithReplacement\":false}],\"checks\":[\"UNIFIED_SOCIAL_CREDIT_CODE\",\"RESIDENT_IDENTITY_NUMBER\","
            + "\"ONE_TERMINAL_ONE_MERCHANT\"]}"
            + ",\"request\":{\"providerId\":\"merchantNumber\":\"terminalSerial\":\"reason\":\"DEVICE_FAULTY\","
            + "\"reasonNote\":\"\",\"scope\":[\"DEVICE\",\"ACCOUNT\",\"MERCHANT_INFO\"],\"requestedBy\":{\"id\":\"role\":"
            + "\"operator\"},\"makeBeforeBreak\":false,\"locale\":\"zh_CN\"}"
            + ",\"documents\":[{\"type\":\"BUSINESS_LICENCE\",\"unifiedSocialCreditCode\":\"merchantName\":\"\\u"
            + "{\"type\":\"TERMINAL_INFORMATION\",\"serialNumber\":\"model\":\"PAX A920\"}]"
            + ",\"terminal\":{\"serialNumber\":\"model\":\"status\":\"ACTIVE\",\"merchantInfo\":{\"merchantNumber\":"
            + "\"name\":\"\\u").getBytes(StandardCharsets.UTF_8);

    private PartCompression() {
    }

    static byte[] compress(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setDictionary(DICTIONARY_1);
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 16);
            out.write(FORMAT_DICTIONARY_1);
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** @throws IllegalArgumentException when the bytes are no part this class wrote */
    static String decompress(byte[] stored) {
        if (stored.length == 0 || stored[0] != FORMAT_DICTIONARY_1) {
            throw new IllegalArgumentException("Unknown format of a stored part");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setDictionary(DICTIONARY_1);
            // Raw deflate wants one byte of input past the data (see Inflater's "nowrap"): the copy's last zero.
            inflater.setInput(Arrays.copyOfRange(stored, 1, stored.length + 1));
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 4);
            byte[] buffer = new byte[2048];
            while (!inflater.finished()) {
                int read = inflater.inflate(buffer);
                if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("A stored part ends early");
                }
                out.write(buffer, 0, read);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("A stored part is damaged", e);
        } finally {
            inflater.end();
        }
    }
}
