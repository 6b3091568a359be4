package io.posunbind.testkit.sandbox;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxFixture.assertDone;
import static io.posunbind.testkit.sandbox.SandboxFixture.context;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.spi.TerminalTransferAdapter;
import io.posunbind.spi.VerificationAdapter;
import io.posunbind.spi.model.TerminalStatus;
import io.posunbind.spi.model.VerificationResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SandboxConcurrencyTest {

    private static final int THREADS = 32;

    private final SandboxFixture sandbox = new SandboxFixture();
    private final TerminalTransferAdapter transfers = sandbox.provider.transferAdapter().orElseThrow();
    private final VerificationAdapter verification = sandbox.provider.verificationAdapter().orElseThrow();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void manyThreadsSendingTheSameKeyCauseOneEffectAndOneAnswer() throws Exception {
        OperationContext disable = context(OperationKind.DISABLE_TERMINAL, "case-0001.disable.1");
        List<OperationOutcome> answers = runTogether(THREADS,
                thread -> () -> sandbox.devices.disableTerminal(disable, SandboxDemoData.TERMINAL_SERIAL));

        assertEquals(1, new HashSet<>(answers).size(), () -> "different answers: " + answers);
        assertDone(answers.get(0));
        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
        assertEquals(THREADS, sandbox.backend.requests().callsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void manyThreadsWorkingOnDifferentTerminalsEachCauseTheirOwnEffect() throws Exception {
        for (int i = 0; i < THREADS; i++) {
            sandbox.backend.addTerminal("T" + i, "PAX A920", MERCHANT_NUMBER);
        }

        List<OperationOutcome> answers = runTogether(THREADS, thread -> () -> sandbox.devices.disableTerminal(
                context(OperationKind.DISABLE_TERMINAL, "disable-" + thread), "T" + thread));

        answers.forEach(SandboxFixture::assertDone);
        assertEquals(THREADS, new HashSet<>(answers).size());
        assertEquals(THREADS, sandbox.backend.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
        for (int i = 0; i < THREADS; i++) {
            assertEquals(TerminalStatus.DISABLED, sandbox.backend.terminals().terminal("T" + i).orElseThrow().status());
        }
    }

    @Test
    void lookupsRacingTheRequestSeeEitherNothingOrTheOneOutcome() throws Exception {
        OperationContext disable = context(OperationKind.DISABLE_TERMINAL, "case-0001.disable.race");
        List<Object> answers = runTogether(THREADS, thread -> () -> thread % 2 == 0
                ? sandbox.devices.disableTerminal(disable, SandboxDemoData.TERMINAL_SERIAL)
                : sandbox.devices.lookup(disable.operation()).map(Object.class::cast).orElse("nothing"));

        OperationOutcome done = sandbox.devices.lookup(disable.operation()).orElseThrow();
        for (Object answer : answers) {
            if (!answer.equals("nothing")) {
                assertEquals(done, answer);
            }
        }
        assertEquals(1, sandbox.backend.requests().effectCount(disable.idempotencyKey()));
    }

    @Test
    void manyMerchantsRacingForOneUnboundTerminalLeaveItBoundToExactlyOne() throws Exception {
        sandbox.backend.addTerminal("0820000003", "PAX A920", TerminalStatus.UNBOUND, Optional.empty(), List.of());
        for (int i = 0; i < THREADS; i++) {
            sandbox.backend.addMerchant(merchant(i), "并发商户" + i, "91310000MA1FL4B24G", "张伟");
        }

        List<OperationOutcome> answers = runTogether(THREADS, thread -> () -> transfers.bindTerminal(
                context(OperationKind.BIND_TERMINAL, "bind-" + thread), "0820000003", merchant(thread),
                Optional.empty()));

        assertEquals(1, answers.stream().filter(OperationOutcome.Done.class::isInstance).count());
        answers.stream().filter(answer -> !(answer instanceof OperationOutcome.Done)).forEach(answer ->
                SandboxFixture.assertRejected(StandardErrorCode.TERMINAL_STATE_CONFLICT, answer));
        assertEquals(1, sandbox.backend.terminals().terminal("0820000003").orElseThrow().boundMerchantNumbers().size());
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.BIND_TERMINAL));
    }

    @Test
    void oneVerificationRacedForByManyOperationsAuthorisesExactlyOne() throws Exception {
        sandbox.backend.verifications().requireVerification(MERCHANT_NUMBER, SandboxVerificationTest.SMS,
                OperationKind.DISABLE_TERMINAL);
        for (int i = 0; i < THREADS; i++) {
            sandbox.backend.addTerminal("T" + i, "PAX A920", MERCHANT_NUMBER);
        }
        String challenge = assertDone(verification.issueChallenge(context(OperationKind.ISSUE_VERIFICATION, "k-issue"),
                MERCHANT_NUMBER, SandboxVerificationTest.SMS)).providerReference();
        assertEquals(VerificationResult.VERIFIED, verification.checkAnswer(challenge,
                sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow()));

        List<OperationOutcome> answers = runTogether(THREADS, thread -> () -> sandbox.devices.disableTerminal(
                context(OperationKind.DISABLE_TERMINAL, "disable-" + thread), "T" + thread));

        assertEquals(1, answers.stream().filter(OperationOutcome.Done.class::isInstance).count());
        answers.stream().filter(answer -> !(answer instanceof OperationOutcome.Done)).forEach(answer ->
                SandboxFixture.assertRejected(StandardErrorCode.NOT_AUTHORIZED, answer));
        assertEquals(1, sandbox.backend.requests().effectsFor(OperationKind.DISABLE_TERMINAL));
    }

    @Test
    void manyRightAnswersAtOnceVerifyTheChallengeOnce() throws Exception {
        String challenge = assertDone(verification.issueChallenge(context(OperationKind.ISSUE_VERIFICATION, "k-issue"),
                MERCHANT_NUMBER, SandboxVerificationTest.SMS)).providerReference();
        String code = sandbox.backend.verifications().lastChallengeCode(MERCHANT_NUMBER).orElseThrow();

        List<VerificationResult> results = runTogether(THREADS,
                thread -> () -> verification.checkAnswer(challenge, code));

        assertEquals(1, results.stream().filter(VerificationResult.VERIFIED::equals).count());
        assertEquals(THREADS - 1, results.stream().filter(VerificationResult.EXPIRED::equals).count());
    }

    private static String merchant(int i) {
        return String.format("8983100581%05d", 20_100 + i);
    }

    /** Starts all tasks at once behind a latch, so that they really contend. */
    private <T> List<T> runTogether(int count, java.util.function.IntFunction<Callable<? extends T>> task)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<? extends T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<? extends T> callable = task.apply(i);
            futures.add(pool.submit(() -> {
                start.await();
                return callable.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<? extends T> future : futures) {
            results.add(future.get(10, TimeUnit.SECONDS));
        }
        return results;
    }
}
