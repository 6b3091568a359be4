package io.posunbind.examples.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.audit.AffectedResource;
import io.posunbind.audit.AuditEntry;
import io.posunbind.audit.AuditEventTypes;
import io.posunbind.audit.AuditOutcome;
import io.posunbind.audit.AuditRecord;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.EvidenceBundle;
import io.posunbind.audit.EvidenceEntry;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.InMemoryAuditStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyEvidenceTest {

    @TempDir
    Path directory;

    private Path keys;
    private Path publishedKeys;
    private Path bundleFile;
    private EvidenceBundle bundle;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void exportACase() throws IOException {
        keys = directory.resolve("keys");
        FileAuditKeyProvider provider = FileAuditKeyProvider.generate(keys, "audit-2025-03");
        AuditTrail trail = AuditTrail.builder().store(new InMemoryAuditStore()).keys(provider)
                .checkpointEveryRecords(10).build();
        for (int i = 0; i < 40; i++) {
            String caseId = i % 3 == 0 ? "case-42" : "case-7";
            trail.append(AuditEntry.builder().actor(i % 2 == 0 ? Actor.system() : Actor.operator("operator:li.na"))
                    .eventType(AuditEventTypes.STEP_DONE).outcome(AuditOutcome.SUCCESS).origin("engine")
                    .resource(AffectedResource.of(caseId, "0820000001", "898310058120001"))
                    .detail("step " + i).build());
        }
        bundle = trail.exportEvidence("case-42");
        bundleFile = directory.resolve("case-42.evidence.json");
        bundle.writeTo(bundleFile);
        // What the operator publishes: the public keys only.
        publishedKeys = Files.createDirectory(directory.resolve("published"));
        Files.copy(keys.resolve("audit-2025-03.pub.pem"), publishedKeys.resolve("audit-2025-03.pub.pem"));
    }

    private int run(String... args) {
        return VerifyEvidence.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anIntactBundleExitsZero() {
        assertEquals(VerifyEvidence.INTACT, run(bundleFile.toString(), "--keys", publishedKeys.toString()));
        assertTrue(output().contains("INTACT"), output());
        assertTrue(output().contains("Evidence for case case-42"), output());
        assertTrue(output().contains("Records of case case-42:"), output());
        assertFalse(output().contains("WARNING"), output());
    }

    @Test
    void withoutTrustedKeysTheBundlesKeysAreUsedWithAWarning() {
        assertEquals(VerifyEvidence.INTACT, run(bundleFile.toString()));
        assertTrue(output().contains("WARNING: no --keys given"), output());
        assertTrue(output().contains(bundle.publicKeys().get(0).fingerprint()), output());
    }

    @Test
    void anEditedRecordExitsTwoAndSaysWhere() throws IOException {
        List<EvidenceEntry> entries = new ArrayList<>(bundle.entries());
        int index = 0;
        while (!(entries.get(index) instanceof EvidenceEntry.Full)) {
            index++;
        }
        AuditRecord record = ((EvidenceEntry.Full) entries.get(index)).record();
        entries.set(index, new EvidenceEntry.Full(new AuditRecord(record.sequence(), record.time(), "operator:mallory",
                record.actorRole(), record.eventType(), record.outcome(), record.origin(), record.resource(),
                record.detail(), record.previousHash(), record.hash())));
        new EvidenceBundle(bundle.format(), bundle.caseId(), bundle.exportedAt(), bundle.anchor(), entries,
                bundle.checkpoints(), bundle.publicKeys()).writeTo(bundleFile);

        assertEquals(VerifyEvidence.TAMPERED, run(bundleFile.toString(), "--keys", publishedKeys.toString()));
        assertTrue(output().contains("TAMPERED"), output());
        assertTrue(output().contains("EDITED at " + record.sequence()), output());
    }

    @Test
    void aTextEditOfTheFileIsCaught() throws IOException {
        String json = Files.readString(bundleFile);
        Files.writeString(bundleFile, json.replaceFirst("\"outcome\" : \"SUCCESS\"", "\"outcome\" : \"FAILURE\""));
        assertEquals(VerifyEvidence.TAMPERED, run(bundleFile.toString(), "--keys", publishedKeys.toString()));
    }

    @Test
    void aBundleResignedByAnotherKeyFailsAgainstThePublishedKeys() throws IOException {
        Path forgerKeys = directory.resolve("forger");
        FileAuditKeyProvider forger = FileAuditKeyProvider.generate(forgerKeys, "audit-2025-03");
        AuditTrail forged = AuditTrail.builder().store(new InMemoryAuditStore()).keys(forger).build();
        forged.append(AuditEntry.of(Actor.system(), AuditEventTypes.CASE_OPENED, AuditOutcome.SUCCESS, "engine",
                AffectedResource.ofCase("case-42"), "made up"));
        forged.checkpointNow();
        forged.exportEvidence("case-42").writeTo(bundleFile);

        assertEquals(VerifyEvidence.INTACT, run(bundleFile.toString()), "it agrees with itself");
        out.reset();
        assertEquals(VerifyEvidence.TAMPERED, run(bundleFile.toString(), "--keys", publishedKeys.toString()));
        assertTrue(output().contains("BAD_SIGNATURE"), output());
        assertTrue(output().contains("NOTE: the bundle carries another key"), output());
    }

    @Test
    void unsignedRecordsFailOnlyWhenSignaturesAreRequired() throws IOException {
        AuditTrail trail = AuditTrail.builder().store(new InMemoryAuditStore())
                .keys(FileAuditKeyProvider.open(keys)).build();
        trail.append(AuditEntry.of(Actor.system(), AuditEventTypes.CASE_OPENED, AuditOutcome.SUCCESS, "engine",
                AffectedResource.ofCase("case-99"), "opened"));
        trail.exportEvidence("case-99").writeTo(bundleFile);
        assertEquals(VerifyEvidence.INTACT, run(bundleFile.toString(), "--keys", publishedKeys.toString()));
        assertTrue(output().contains("unsigned tail: 1"), output());
        assertEquals(VerifyEvidence.TAMPERED, run(bundleFile.toString(), "--keys", publishedKeys.toString(),
                "--require-signed"));
    }

    @Test
    void badInputExitsOne() throws IOException {
        assertEquals(VerifyEvidence.BAD_INPUT, run());
        assertEquals(VerifyEvidence.BAD_INPUT, run(directory.resolve("missing.json").toString()));
        assertEquals(VerifyEvidence.BAD_INPUT, run(bundleFile.toString(), "--keys"));
        assertEquals(VerifyEvidence.BAD_INPUT, run(bundleFile.toString(), "--keys", directory.resolve("none").toString()));
        assertEquals(VerifyEvidence.BAD_INPUT, run(bundleFile.toString(), "--frobnicate"));
        assertEquals(VerifyEvidence.BAD_INPUT, run(bundleFile.toString(), bundleFile.toString()));

        Path notJson = directory.resolve("not.json");
        Files.writeString(notJson, "{\"format\": \"posunbind-audit-evidence/1\", \"caseId\": ");
        assertEquals(VerifyEvidence.BAD_INPUT, run(notJson.toString()));
        Files.write(notJson, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertEquals(VerifyEvidence.BAD_INPUT, run(notJson.toString()));
        Path brokenKey = Files.createDirectory(directory.resolve("broken"));
        Files.writeString(brokenKey.resolve("k.pub.pem"), "garbage");
        assertEquals(VerifyEvidence.BAD_INPUT, run(bundleFile.toString(), "--keys", brokenKey.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }
}
