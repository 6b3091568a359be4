package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.store.JdbcCaseStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A case waits for days; the application restarts in between and must pick it up from the H2 file. */
class ResumeScenarioTest {

    @TempDir
    Path dataDirectory;

    @Test
    void aWaitingCaseResumesFromTheH2FileInANewEngine() {
        CaseId id;
        MerchantCase merchant;
        try (JdbcCaseStore firstStore = JdbcCaseStore.h2File(dataDirectory)) {
            merchant = new MerchantCase(firstStore);
            CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
            CaseSnapshot waiting = merchant.agreeToFees(opened);
            assertTrue(waiting.isWaitingFor(WaitReason.INSTITUTION_DECISION));
            id = waiting.id();
            merchant.unbinder.close();
        }

        // The institution decides while the application is down.
        merchant.sandbox.reviews().approve(merchant.applicationReference());
        merchant.clock.advance(Duration.ofDays(3));

        try (JdbcCaseStore reopened = JdbcCaseStore.h2File(dataDirectory);
                Unbinder restarted = merchant.unbinderOn(reopened)) {
            assertEquals(1, restarted.runDueWork());
            CaseSnapshot waitingForAccount = restarted.find(id).orElseThrow();
            assertTrue(waitingForAccount.isWaitingFor(WaitReason.PROVIDER_OPERATION), waitingForAccount.toString());

            merchant.sandbox.reviews().completePending(waitingForAccount.steps(io.posunbind.StepKind.UNBIND_SETTLEMENT_ACCOUNT)
                    .get(0).providerReference().orElseThrow());
            merchant.clock.advance(Duration.ofHours(1));
            restarted.runDueWork();
            assertEquals(CaseState.COMPLETED, restarted.find(id).orElseThrow().state());
        }
    }
}
