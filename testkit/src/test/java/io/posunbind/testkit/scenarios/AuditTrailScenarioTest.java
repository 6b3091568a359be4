package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.Unbinder;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.AuditVerifier;
import io.posunbind.audit.EvidenceBundle;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import io.posunbind.audit.VerificationReport;
import io.posunbind.testkit.sandbox.CompletionPolicy;
import io.posunbind.store.InMemoryCaseStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who did what, when, proven: the whole case is in the signed audit trail and its evidence verifies offline. */
class AuditTrailScenarioTest {

    @TempDir
    Path keys;

    @Test
    void theWholeCaseIsInTheSignedTrailAndItsEvidenceVerifiesOffline() {
        MerchantCase merchant = new MerchantCase();
        merchant.sandbox.setCompletionPolicy(CompletionPolicy.immediate());
        FileAuditKeyProvider auditKeys = FileAuditKeyProvider.generate(keys, "audit-2026-11");
        InMemoryAuditStore auditStore = new InMemoryAuditStore();
        AuditTrail trail = AuditTrail.builder().store(auditStore).keys(auditKeys).clock(merchant.clock)
                .checkpointEveryRecords(10).build();
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).auditTrail(trail).build();

        CaseSnapshot opened = unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot done = unbinder.consentToFees(opened.id(), new io.posunbind.FeeConsent(opened.feeQuote().orElseThrow()
                .quoteId(), opened.feeQuote().orElseThrow().total(), MerchantCase.MERCHANT, merchant.clock.instant()));
        assertEquals(CaseState.COMPLETED, done.state(), done.toString());
        trail.checkpointNow();

        EvidenceBundle bundle = trail.exportEvidence(opened.id().value());
        List<AuditRecord> records = bundle.caseRecords();
        List<String> types = records.stream().map(AuditRecord::eventType).toList();
        assertTrue(types.contains("COMMAND"), types.toString());
        assertTrue(types.contains("PROVIDER_CALL"), types.toString());
        assertTrue(types.contains("STEP_DONE"), types.toString());
        assertTrue(types.contains("CASE_FINISHED"), types.toString());
        assertEquals(merchant.sandbox.requests().effects().size(),
                records.stream().filter(r -> r.eventType().equals("PROVIDER_CALL")).count());
        assertTrue(records.stream().anyMatch(r -> r.actorId().equals(MerchantCase.MERCHANT.id())
                && r.detail().startsWith("CONSENT_TO_FEES")));
        String json = bundle.toJson();
        assertFalse(json.contains("6222021001123456789") || json.contains("31050161373700000512"));

        VerificationReport report = AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(keys))
                .verify(EvidenceBundle.fromJson(json));
        assertTrue(report.intact(), report.describe());

        // One character changed in the exported evidence is found, at its record.
        String forged = json.replaceFirst("CONSENT_TO_FEES", "CONSENT_TO_FEEZ");
        VerificationReport tampered = AuditVerifier.trusting(FileAuditKeyProvider.readPublicKeys(keys))
                .verify(EvidenceBundle.fromJson(forged));
        assertFalse(tampered.intact());
        unbinder.close();
    }
}
