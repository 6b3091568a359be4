package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.backup.BackupException;
import io.posunbind.backup.BackupVerification;
import io.posunbind.spi.model.TerminalDataExport;
import io.posunbind.store.CaseRecord;
import io.posunbind.store.JdbcCaseStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sensitive numbers are encrypted in the store; the old terminal's backup is sealed and provably intact. */
class SecretsAtRestScenarioTest {

    @TempDir
    Path data;

    @Test
    void theStoreHoldsNoClearNumberAndTheBackupRestoresIntact() {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(data)) {
            MerchantCase merchant = new MerchantCase(store);
            CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());

            String document = store.load(opened.id().value()).orElseThrow().document();
            assertFalse(document.contains("6222021001123456789"), "the settlement card is not stored in clear");
            assertFalse(document.contains("31050161373700000512"), "the new account is not stored in clear");
            assertTrue(document.contains("enc:v1:"), "sensitive numbers are stored as encrypted tokens");
            assertFalse(document.contains("\"transactionReference\""), "usage records are sealed, not in clear");

            BackupVerification verification = merchant.unbinder.verifyBackup(opened.id());
            assertTrue(verification.intact(), verification.summary());
            TerminalDataExport restored = merchant.unbinder.restoreBackup(opened.id());
            assertEquals(merchant.sandbox.terminals().usageRecords(TERMINAL_SERIAL), restored.usageRecords());
            assertEquals(merchant.sandbox.terminals().settings(TERMINAL_SERIAL), restored.settings());
        }
    }

    @Test
    void aBackupChangedInTheStoreIsReportedByPosition() {
        try (JdbcCaseStore store = JdbcCaseStore.h2File(data)) {
            MerchantCase merchant = new MerchantCase(store);
            CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
            CaseRecord record = store.load(opened.id().value()).orElseThrow();
            // Someone edits one ciphertext character of the sealed backup directly in the database.
            String tampered = record.document().replaceFirst("(\\\\\"ciphertext\\\\\":\\\\\")(.)",
                    "$1" + "A");
            if (tampered.equals(record.document())) {
                tampered = record.document().replaceFirst("(\\\\\"ciphertext\\\\\":\\\\\")(.)", "$1" + "B");
            }
            assertFalse(tampered.equals(record.document()), "the test found a ciphertext to change");
            store.update(new CaseRecord(record.caseId(), record.version() + 1, record.state(), record.providerId(),
                    record.merchantNumber(), record.terminalSerial(), record.open(), record.wakeAt(),
                    record.createdAt(), record.updatedAt(), tampered, record.leaseOwner(), record.leaseUntil(),
                    record.eventsPending()), record.version());

            BackupVerification verification = merchant.unbinder.verifyBackup(opened.id());
            assertFalse(verification.intact());
            assertTrue(verification.summary().contains("chunk 0"), verification.summary());
            assertThrows(BackupException.class, () -> merchant.unbinder.restoreBackup(opened.id()));
        }
    }
}
