package io.posunbind.replacement;

import io.posunbind.i18n.Messages;
import io.posunbind.spi.API;

/**
 * What candidate terminals are compared on. Each criterion is scored 0 to 100 and weighted by
 * {@link RankingWeights}; {@link Messages#name(Enum)} names it in the caller's language.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum RankingCriterion {
    /** Works with the merchant's payment channels and bank. */
    COMPATIBILITY,
    /** Has the features the merchant requires or would like (multi-currency, mobile, printer, …). */
    FEATURES,
    /** Security certifications (certified PIN entry, encryption): PCI PTS, EMV L2, …. */
    SECURITY,
    /** Total cost of ownership: price plus monthly fees over the months of use. */
    COST
}
