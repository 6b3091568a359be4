package io.posunbind.spi.model;

import io.posunbind.spi.API;
import java.util.Objects;
import java.util.Set;

/**
 * A terminal model a merchant may choose as replacement (选择新的POS机).
 *
 * @param model               the model name
 * @param vendor              its maker
 * @param supportedChannels   payment channels it works with (for example "UNIONPAY", "WECHAT", "ALIPAY")
 * @param features            features it offers (for example "MULTI_CURRENCY", "MOBILE", "PRINTER", "NFC")
 * @param securityCertificates security certifications (for example "PCI_PTS", "EMV_L2")
 * @param price               purchase price
 * @param monthlyFee          recurring fee
 */
@API(status = API.Status.STABLE, since = "2.0")
public record TerminalCandidate(String model, String vendor, Set<String> supportedChannels, Set<String> features,
        Set<String> securityCertificates, Money price, Money monthlyFee) {

    /** Checks and copies the fields. */
    public TerminalCandidate {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(vendor, "vendor");
        supportedChannels = Set.copyOf(supportedChannels);
        features = Set.copyOf(features);
        securityCertificates = Set.copyOf(securityCertificates);
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(monthlyFee, "monthlyFee");
    }
}
