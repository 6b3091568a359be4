package io.posunbind.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.docs.CodeCatalogue.Module;
import io.posunbind.docs.fixture.SampleErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the reference's checks say when a module's author forgets a text, shown on an imaginary provider
 * module whose codes have their texts in their own package.
 */
class ErrorCodeReferenceCheckTest {

    private final ErrorCodeReference reference = new ErrorCodeReference(List.of(new Module("posunbind-provider-sample",
            List.of(SampleErrorCode.class), List.of(), Optional.of("An imaginary provider."))));

    @Test
    void aForgottenOrBlankTextIsNamedByCodeKeyAndTheFileItBelongsIn() {
        assertEquals(Map.of(
                        "io/posunbind/docs/fixture/messages.properties",
                        List.of("SMP-INCOMPLETE: error.SMP-INCOMPLETE.meaning"),
                        "io/posunbind/docs/fixture/messages_zh_CN.properties",
                        List.of("SMP-INCOMPLETE: error.SMP-INCOMPLETE.action")),
                reference.missingTexts());
    }

    @Test
    void theReferenceShowsEachCodeWithItsRetryabilityAndTextsInBothLanguages() {
        String markdown = reference.render("regenerate");

        assertTrue(markdown.contains("""
                ### SMP-COMPLETE

                `SampleErrorCode.COMPLETE` · retryable

                |  | English | 中文 |
                |---|---|---|
                | Meaning · 含义 | The sample provider is working on the terminal. | 示例机构正在处理该终端。 |
                | What to do · 处理 | Wait; the engine retries by itself. | 请等待，引擎会自动重试。 |
                | Text shown · 提示 | The sample's terminal is busy. | 示例机构的终端正忙。 |
                """), markdown);
        assertTrue(markdown.contains("| What to do · 处理 | Correct the request and retry the case."
                + " | (missing: error.SMP-INCOMPLETE.action) |"), markdown);
        assertTrue(markdown.contains("| [`posunbind-provider-sample`](#posunbind-provider-sample) | 2 |"), markdown);
    }
}
