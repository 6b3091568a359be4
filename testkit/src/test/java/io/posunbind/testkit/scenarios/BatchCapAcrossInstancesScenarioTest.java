package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.scenarios.MerchantCase.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;

import io.posunbind.Unbinder;
import io.posunbind.batch.BatchId;
import io.posunbind.batch.BatchOptions;
import io.posunbind.batch.BatchProgress;
import io.posunbind.batch.BatchRowStatus;
import io.posunbind.store.BatchStore;
import io.posunbind.store.InMemoryCaseStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A batch's cap on cases in flight holds across instances. Two instances share one store; the first has counted
 * the batch's open cases (none) and is about to start rows up to the cap when the second looks: without one
 * starter at a time, both would start a cap's worth, twice the cap together. The interleaving is forced by holding
 * the first instance inside its start, so the outcome does not depend on timing.
 */
class BatchCapAcrossInstancesScenarioTest {

    /** Bounds a hang; not a timing assertion. */
    private static final long GENEROUS_SECONDS = 60;

    @Test
    void twoInstancesStartingRowsOfOneBatchAtTheSameMomentTogetherKeepItsCap() throws Exception {
        MerchantCase merchant = new MerchantCase();
        CountDownLatch firstInsideItsStart = new CountDownLatch(1);
        CountDownLatch secondHasLooked = new CountDownLatch(1);
        AtomicReference<Thread> firstInstancesThread = new AtomicReference<>();
        InMemoryCaseStore store = spy(new InMemoryCaseStore());
        BatchStore real = store.batches().orElseThrow();
        // The first instance, once it has counted the open cases and asks which rows may start, waits there until
        // the second instance has had its look. (A proxy, not a spy: the store's methods hold its monitor.)
        BatchStore batches = (BatchStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BatchStore.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("pendingTimeZones")
                            && Thread.currentThread() == firstInstancesThread.get()) {
                        firstInsideItsStart.countDown();
                        assertTrue(secondHasLooked.await(GENEROUS_SECONDS, TimeUnit.SECONDS), "the second never looked");
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        doReturn(Optional.of(batches)).when(store).batches();
        Unbinder first = merchant.builderOn(store).instanceId("instance-a").build();
        Unbinder second = merchant.builderOn(store).instanceId("instance-b").build();
        BatchId batch = BatchId.of("closing-stores");
        int cap = 2;
        first.openBatch(batch, FleetUnbindOnDatabasesScenarioTest.rows(merchant, 6), BatchOptions.builder().maxCasesInFlight(cap).build(), OPERATOR);

        ExecutorService instanceA = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "instance-a-look");
            firstInstancesThread.set(thread);
            return thread;
        });
        try {
            Future<Integer> firstLook = instanceA.submit(() -> first.runDueWork());
            assertTrue(firstInsideItsStart.await(GENEROUS_SECONDS, TimeUnit.SECONDS), "the first never started");
            second.runDueWork();
            secondHasLooked.countDown();
            firstLook.get(GENEROUS_SECONDS, TimeUnit.SECONDS);
        } finally {
            secondHasLooked.countDown();
            instanceA.shutdownNow();
        }

        BatchProgress progress = second.batches().progress(batch);
        assertEquals(cap, progress.rows(BatchRowStatus.STARTED), "started together, within the cap: " + progress);
        assertEquals(6 - cap, progress.notStarted(), progress.toString());

        // Later looks of either instance start more only as cases end: none ended, so none starts.
        first.runDueWork();
        second.runDueWork();
        assertEquals(cap, second.batches().progress(batch).rows(BatchRowStatus.STARTED));
        first.close();
        second.close();
    }
}
