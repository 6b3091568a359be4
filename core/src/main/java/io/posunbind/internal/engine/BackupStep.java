package io.posunbind.internal.engine;

import static io.posunbind.internal.engine.StepHandler.require;

import io.posunbind.CaseState;
import io.posunbind.StepKind;
import io.posunbind.backup.BackupVault;
import io.posunbind.backup.SealedBackup;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.model.TerminalDataExport;
import java.time.Clock;

/**
 * {@link StepKind#BACK_UP_TERMINAL_DATA}: exports the old terminal's data, seals it and proves the seal
 * before anything is unbound. Thread-safe: no state.
 */
final class BackupStep implements StepHandler {

    private final Clock clock;
    private final BackupVault vault;

    BackupStep(Clock clock, BackupVault vault) {
        this.clock = clock;
        this.vault = vault;
    }

    @Override
    public StepResult run(CaseDocument document, StepRecord step, PaymentProvider provider, Checkpoint checkpoint) {
        return backUp(document, step, provider);
    }

    private StepResult backUp(CaseDocument document, StepRecord step, PaymentProvider provider) {
        DeviceUnbindAdapter device = require(provider.deviceAdapter(), "device");
        TerminalDataExport export = device.exportTerminalData(document.request.terminalSerial());
        SealedBackup sealed;
        try {
            // Sealed with AES-256-GCM and read back before the case may go on: nothing is unbound
            // before a backup was proven intact.
            sealed = vault.sealAndVerify(document.id, export);
        } catch (PosUnbindException e) {
            return new StepResult.Stop(CaseState.FAILED, e.errorCode().code(),
                    "The backup of the old terminal could not be verified; nothing was unbound: " + e.getMessage());
        }
        CaseDocument.BackupRecord backup = new CaseDocument.BackupRecord();
        backup.backupId = sealed.backupId();
        backup.keyId = sealed.keyId();
        backup.sealedJson = sealed.toJson();
        backup.usageRecordCount = export.usageRecords().size();
        backup.settingCount = export.settings().size();
        backup.takenAt = clock.instant();
        backup.verified = true;
        document.backup = backup;
        return new StepResult.Done(backup.usageRecordCount + " usage record(s), " + backup.settingCount
                + " setting(s), sealed as backup " + backup.backupId + " with key " + backup.keyId + ", verified");
    }
}
