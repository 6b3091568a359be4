package io.posunbind.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Browsers, phones and HTTP clients say which language they prefer; the answer follows the weights. */
class AcceptLanguageTest {

    @Test
    void noHeaderOrAnUnknownLanguageIsAnsweredInEnglish() {
        assertEquals(Locale.ENGLISH, choose(null));
        assertEquals(Locale.ENGLISH, choose(""));
        assertEquals(Locale.ENGLISH, choose("de-DE, fr;q=0.8"));
        assertEquals(Locale.ENGLISH, choose(";;;,,q=,"));
    }

    @Test
    void aChineseBrowserIsAnsweredInChinese() {
        assertEquals(Locale.SIMPLIFIED_CHINESE, choose("zh-CN,zh;q=0.9,en;q=0.8"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, choose("zh"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, choose("zh-Hans-CN"));
        assertEquals(Locale.SIMPLIFIED_CHINESE, choose("ZH-cn"));
    }

    @Test
    void weightsDecideNotTheOrder() {
        assertEquals(Locale.SIMPLIFIED_CHINESE, choose("en;q=0.5, zh-CN;q=0.9"));
        assertEquals(Locale.ENGLISH, choose("zh-CN;q=0.4, en-GB;q=0.6"));
        assertEquals(Locale.ENGLISH, choose("zh-CN;q=0, en;q=0.1"));
        // Equal weights: the one listed first.
        assertEquals(Locale.SIMPLIFIED_CHINESE, choose("zh-CN, en"));
        assertEquals(Locale.ENGLISH, choose("en, zh-CN"));
    }

    @Test
    void traditionalChineseIsNotSimplifiedChineseAndFallsBackToEnglish() {
        assertEquals(Locale.ENGLISH, choose("zh-TW"));
        assertEquals(Locale.ENGLISH, choose("zh-Hant-HK, en;q=0.1"));
    }

    @Test
    void aMalformedWeightMakesItsRangeUnacceptable() {
        assertEquals(Locale.ENGLISH, choose("zh-CN;q=abc"));
        assertEquals(Locale.ENGLISH, choose("zh-CN;q=1.5"));
    }

    private static Locale choose(String header) {
        return AcceptLanguage.choose(Optional.ofNullable(header));
    }
}
