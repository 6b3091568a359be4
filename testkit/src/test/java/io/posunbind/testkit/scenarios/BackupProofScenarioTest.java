package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.StepKind;
import io.posunbind.StepStatus;
import io.posunbind.Unbinder;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import io.posunbind.backup.BackupVault;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.keys.DataKey;
import io.posunbind.keys.DataKeyProvider;
import io.posunbind.spi.OperationKind;
import io.posunbind.store.InMemoryCaseStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old terminal's data is backed up, and the backup proven to read back, before anything at the
 * provider changes. A backup that cannot be proven ends the case there, with its code in the case's
 * history and in the audit trail, and the terminal still bound as it was.
 */
class BackupProofScenarioTest {

    private static final String BACKUP_UNVERIFIED = CoreErrorCode.BACKUP_UNVERIFIED.code();

    @TempDir
    Path auditKeys;

    @Test
    void aBackupThatDoesNotReadBackStopsTheCaseBeforeAnythingIsUnbound() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        AuditTrail trail = AuditTrail.builder().store(new InMemoryAuditStore())
                .keys(FileAuditKeyProvider.generate(auditKeys, "audit-2026-11")).clock(merchant.clock).build();
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore())
                .dataKeys(new KeyServiceThatChangedTheBackupKey())
                .auditTrail(trail)
                .build();

        CaseSnapshot stopped = unbinder.open(fullReplacement().documents(allDocuments()).build());

        assertEquals(CaseState.FAILED, stopped.state(), stopped.toString());
        assertEquals(BACKUP_UNVERIFIED, stopped.failureCode().orElseThrow());
        assertEquals(StepStatus.FAILED, stopped.steps(StepKind.BACK_UP_TERMINAL_DATA).get(0).status());
        assertTrue(stopped.steps(StepKind.DISABLE_TERMINAL).stream()
                .allMatch(step -> step.status() != StepStatus.DONE));
        // The provider was asked for the terminal's data, and was never asked to change anything.
        assertEquals(List.of(), merchant.sandbox.requests().effects());
        for (OperationKind kind : OperationKind.values()) {
            assertEquals(0, merchant.sandbox.requests().callsFor(kind), kind + " was sent to the provider");
        }
        assertTrue(stopped.history().stream().anyMatch(entry -> entry.event().equals("CASE_FAILED")
                && entry.detail().startsWith(BACKUP_UNVERIFIED)), stopped.history().toString());
        trail.checkpointNow();
        List<AuditRecord> audited = trail.exportEvidence(stopped.id().value()).caseRecords();
        assertTrue(audited.stream().anyMatch(record -> record.eventType().equals("CASE_FINISHED")
                && record.detail().contains("FAILED " + BACKUP_UNVERIFIED)), audited.toString());
        unbinder.close();
    }

    /**
     * A key service whose key for an id changed after data was sealed under it, as a KMS that rotated a
     * key in place would: the backup vault, reading the backup it has just sealed back to prove it, gets
     * other material under the same id. Everything else gets the right key, so the case itself stays
     * readable and only the proof of the backup fails.
     */
    private static final class KeyServiceThatChangedTheBackupKey implements DataKeyProvider {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final DataKey key = DataKey.generate("data-2026-11", RANDOM);
        private final DataKey changed = DataKey.generate("data-2026-11", RANDOM);

        @Override
        public DataKey currentKey() {
            return key;
        }

        @Override
        public Optional<DataKey> key(String keyId) {
            if (!keyId.equals(key.id())) {
                return Optional.empty();
            }
            return Optional.of(provingTheBackup() ? changed : key);
        }

        private static boolean provingTheBackup() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> frame.getClassName()
                    .equals(BackupVault.class.getName()) && frame.getMethodName().equals("sealAndVerify")));
        }
    }
}
