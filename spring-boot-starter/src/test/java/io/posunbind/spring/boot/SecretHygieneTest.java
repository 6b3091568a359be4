package io.posunbind.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.posunbind.CaseId;
import io.posunbind.Unbinder;
import io.posunbind.keys.DirectoryDataKeyProvider;
import io.posunbind.testkit.ClearNumbers;
import io.posunbind.testkit.sandbox.SandboxDemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter writes while an application starts, runs a case and stops: no secret setting, no key. */
class SecretHygieneTest {

    private static final String API_KEY = "sk_live_51HxSpringStarterSecretValue";

    @TempDir
    Path folder;

    @Test
    void neitherAProvidersSecretSettingNorADataKeyNorACardNumberReachesTheLog() throws Exception {
        Path keys = folder.resolve("keys");
        List<String> lines = ClearNumbers.writtenWhile(() -> new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PosUnbindAutoConfiguration.class))
                .withPropertyValues("posunbind.store.directory=" + folder.resolve("data"),
                        "posunbind.data-keys.directory=" + keys, "posunbind.data-keys.create-if-missing=true",
                        "posunbind.providers.sandbox.backend=fresh", "posunbind.providers.sandbox.api-key=" + API_KEY)
                .run(context -> {
                    assertNull(context.getStartupFailure());
                    context.getBean(Unbinder.class).open(CaseId.of("spring-hygiene-1"), SandboxCases.deviceUnbind());
                }));

        List<String> secrets = new ArrayList<>(List.of(API_KEY, SandboxDemoData.SETTLEMENT_CARD_NUMBER));
        try (Stream<Path> files = Files.list(keys)) {
            for (Path file : files.filter(f -> f.toString().endsWith(DirectoryDataKeyProvider.KEY_SUFFIX)).toList()) {
                secrets.add(Files.readString(file).trim());
            }
        }
        assertFalse(lines.isEmpty(), "the start was logged");
        assertEquals(List.of(), ClearNumbers.in(lines, secrets));
    }
}
