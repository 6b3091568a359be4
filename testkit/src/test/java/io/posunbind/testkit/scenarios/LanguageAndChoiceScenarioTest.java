package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NAME;
import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.replacement.RankedCandidate;
import io.posunbind.replacement.RankingWeights;
import io.posunbind.replacement.ReplacementNeeds;
import io.posunbind.spi.model.Document;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The merchant reads its case in Chinese, the operator in English; the replacement is chosen with reasons. */
class LanguageAndChoiceScenarioTest {

    @Test
    void theSameCaseReadsInChineseAndInEnglish() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot waiting = merchant.unbinder.open(MerchantCase.fullReplacement().documents(
                new Document.BusinessLicence("91310000MA1FL4B24A", MERCHANT_NAME)).build());

        String chinese = waiting.describe(Locale.SIMPLIFIED_CHINESE);
        String english = waiting.describe(Locale.ENGLISH);

        assertTrue(chinese.contains("盘点") || chinese.contains("绑定"), chinese);
        assertTrue(chinese.contains("统一社会信用代码"), chinese);
        assertTrue(english.contains("Waiting for documents"), english);
        assertFalse(english.chars().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
                && !MERCHANT_NAME.contains(String.valueOf((char) c))), english);
    }

    @Test
    void replacementsAreRankedWithReasonsInTheMerchantsLanguage() {
        MerchantCase merchant = new MerchantCase();
        ReplacementNeeds needs = ReplacementNeeds.builder().requiredChannels("UNIONPAY", "WECHAT", "ALIPAY")
                .requiredFeatures("PRINTER").requiredSecurity("PCI_PTS").build();

        List<RankedCandidate> english = merchant.unbinder.rankReplacements(SandboxProvider.ID, MERCHANT_NUMBER, needs,
                RankingWeights.DEFAULTS, Locale.ENGLISH);
        List<RankedCandidate> chinese = merchant.unbinder.rankReplacements(SandboxProvider.ID, MERCHANT_NUMBER, needs,
                RankingWeights.DEFAULTS, Locale.SIMPLIFIED_CHINESE);

        assertEquals(3, english.size());
        assertEquals(1, english.get(0).rank());
        assertTrue(english.get(0).explanation().startsWith("Ranked 1st"), english.get(0).explanation());
        assertTrue(chinese.get(0).explanation().startsWith("排名第1"), chinese.get(0).explanation());
        assertEquals(english.get(0).candidate(), chinese.get(0).candidate());
    }
}
