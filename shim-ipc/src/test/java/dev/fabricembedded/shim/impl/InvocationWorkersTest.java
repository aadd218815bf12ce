package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.shim.testing.LeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link InvocationWorkers}: hand-off, bounds and rejection, LIFO reuse, close. */
class InvocationWorkersTest {

    private static final long WAIT_SECONDS = 20;

    private static String prefix(final String chaincodeId) {
        return "chaincode-" + chaincodeId + "-worker-";
    }

    private static InvocationWorkers pool(final String chaincodeId, final int threads, final int waiting,
            final Duration idleSpin) {
        return new InvocationWorkers(chaincodeId, threads, waiting, idleSpin, Duration.ofSeconds(10));
    }

    /**
     * One submitting thread, bursts of tasks separated by pauses of random length, so that workers keep going idle,
     * polling, parking and being woken while tasks arrive: every task runs exactly once, on the pool's threads.
     */
    @ParameterizedTest(name = "idle spin {0} ns")
    @ValueSource(longs = {0, 2_000, 50_000})
    void everyTaskRunsExactlyOnceOnAWorkerWhateverTheInterleaving(final long spinNanos) throws Exception {
        final String id = "race" + spinNanos + ":1";
        final int tasks = 20_000;
        final AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final CountDownLatch done = new CountDownLatch(tasks);
        try (InvocationWorkers workers = pool(id, 4, tasks, Duration.ofNanos(spinNanos))) {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            int submitted = 0;
            while (submitted < tasks) {
                final int burst = Math.min(tasks - submitted, 1 + random.nextInt(8));
                for (int i = 0; i < burst; i++) {
                    final int task = submitted++;
                    workers.execute(() -> {
                        runs.incrementAndGet(task);
                        threads.add(Thread.currentThread().getName());
                        done.countDown();
                    });
                }
                switch (random.nextInt(4)) {
                    case 0 -> LockSupport.parkNanos(random.nextInt(200_000)); // workers park
                    case 1 -> Thread.yield();
                    default -> {
                        for (int spin = random.nextInt(2_000); spin > 0; spin--) {
                            Thread.onSpinWait(); // workers are about to go idle or still polling
                        }
                    }
                }
            }
            assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(IntStream.range(0, tasks).filter(i -> runs.get(i) != 1).boxed().toList())
                    .as("tasks not run exactly once").isEmpty();
            assertThat(threads).isNotEmpty().allMatch(name -> name.startsWith(prefix(id)))
                    .hasSizeLessThanOrEqualTo(4);
            assertThat(workers.waitingInvocations()).isZero();
        }
        LeakCheck.threadsNamed(prefix(id)).assertNothingLeft();
    }

    /** Without a waiting room, a task is either run once or rejected, never both and never lost. */
    @Test
    void withoutWaitingRoomEveryTaskIsRunOnceOrRejected() throws Exception {
        final String id = "norooms:1";
        final int tasks = 20_000;
        final AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        final AtomicInteger finished = new AtomicInteger();
        final boolean[] rejected = new boolean[tasks];
        int rejections = 0;
        try (InvocationWorkers workers = pool(id, 2, 0, Duration.ofNanos(5_000))) {
            for (int task = 0; task < tasks; task++) {
                final int index = task;
                try {
                    workers.execute(() -> {
                        runs.incrementAndGet(index);
                        finished.incrementAndGet();
                    });
                } catch (RejectedExecutionException e) {
                    rejected[index] = true;
                    rejections++;
                }
                if ((task & 15) == 0) {
                    Thread.yield();
                }
            }
            final int expected = tasks - rejections;
            LeakCheck.await(() -> finished.get() == expected, "every accepted task run");
            for (int task = 0; task < tasks; task++) {
                assertThat(runs.get(task)).as("runs of task %d (rejected: %s)", task, rejected[task])
                        .isEqualTo(rejected[task] ? 0 : 1);
            }
        }
        LeakCheck.threadsNamed(prefix(id)).assertNothingLeft();
    }

    @Test
    void allWorkersBusyFillsTheWaitingRoomInOrderThenRejects() throws Exception {
        final String id = "full:1";
        // one latch per busy worker: releasing only the first leaves one free worker, which must then take the
        // waiting invocations in arrival order (with all three freed at once, two would run them concurrently)
        final CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        final CountDownLatch allStarted = new CountDownLatch(3);
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch waitingRan = new CountDownLatch(2);
        try (InvocationWorkers workers = pool(id, 3, 2, Duration.ZERO)) {
            for (int i = 0; i < 3; i++) {
                final CountDownLatch mine = release[i];
                workers.execute(() -> {
                    threads.add(Thread.currentThread().getName());
                    allStarted.countDown();
                    awaitQuietly(mine);
                });
            }
            assertThat(allStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).containsExactlyInAnyOrder(prefix(id) + 1, prefix(id) + 2, prefix(id) + 3);
            assertThat(workers.startedWorkers()).isEqualTo(3);
            for (int i = 0; i < 2; i++) {
                final int n = i;
                workers.execute(() -> {
                    order.add(n);
                    waitingRan.countDown();
                });
            }
            assertThat(workers.waitingInvocations()).isEqualTo(2);
            assertThatThrownBy(() -> workers.execute(() -> order.add(99)))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessage("all 3 worker threads of chaincode full:1 are busy and 2 invocations are waiting");
            release[0].countDown();
            assertThat(waitingRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly(0, 1);
            assertThat(workers.startedWorkers()).isEqualTo(3);
            release[1].countDown();
            release[2].countDown();
        }
    }

    @Test
    void theMostRecentlyIdleWorkerTakesTheNextTask() throws Exception {
        final String id = "lifo:1";
        final CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        final CountDownLatch allStarted = new CountDownLatch(3);
        final String[] names = new String[3];
        try (InvocationWorkers workers = pool(id, 3, 0, Duration.ZERO)) {
            for (int i = 0; i < 3; i++) {
                final int n = i;
                workers.execute(() -> {
                    names[n] = Thread.currentThread().getName();
                    allStarted.countDown();
                    awaitQuietly(release[n]);
                });
            }
            assertThat(allStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // idle one after the other: 2, then 0, then 1 (the most recent)
            for (final int n : new int[] {2, 0, 1}) {
                final int idleBefore = workers.idleWorkers();
                release[n].countDown();
                LeakCheck.await(() -> workers.idleWorkers() == idleBefore + 1, "worker " + names[n] + " idle");
            }
            for (int round = 0; round < 5; round++) {
                assertThat(threadRunningNextTask(workers)).as("round %d", round).isEqualTo(names[1]);
                LeakCheck.await(() -> workers.idleWorkers() == 3, "all idle again");
            }
        }
    }

    @Test
    void aTaskThrowingAnErrorLeavesTheWorkerServing() throws Exception {
        try (InvocationWorkers workers = pool("thrower:1", 1, 0, Duration.ZERO)) {
            final CountDownLatch thrown = new CountDownLatch(1);
            workers.execute(() -> {
                thrown.countDown();
                throw new StackOverflowError("deep chaincode");
            });
            assertThat(thrown.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            LeakCheck.await(() -> workers.idleWorkers() == 1, "worker idle again");
            assertThat(threadRunningNextTask(workers)).isEqualTo(prefix("thrower:1") + 1);
            assertThat(workers.startedWorkers()).isEqualTo(1);
        }
    }

    @Test
    void closeInterruptsBusyWorkersStopsIdleOnesAndJoinsThemAll() throws Exception {
        final String id = "closing:1";
        final InvocationWorkers workers = pool(id, 3, 5, Duration.ofNanos(20_000));
        final CountDownLatch started = new CountDownLatch(3);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch idleDone = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        for (int i = 0; i < 2; i++) {
            workers.execute(() -> {
                started.countDown();
                awaitQuietly(release);
                idleDone.countDown();
            });
        }
        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(idleDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        LeakCheck.await(() -> workers.idleWorkers() == 2, "two workers idle");
        assertThat(LeakCheck.threadsNamed(prefix(id)).threads()).hasSize(3);

        assertThat(workers.shutdown()).isTrue();

        assertThat(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(LeakCheck.threadsNamed(prefix(id)).threads()).isEmpty();
        assertThat(workers.shutdown()).as("idempotent").isTrue();
        LeakCheck.threadsNamed(prefix(id)).assertNothingLeft();
    }

    @Test
    void closeDropsTheWaitingInvocations() throws Exception {
        final String id = "dropping:1";
        final InvocationWorkers workers = pool(id, 1, 1, Duration.ZERO);
        final CountDownLatch started = new CountDownLatch(1);
        workers.execute(() -> {
            started.countDown();
            awaitQuietly(new CountDownLatch(1)); // until interrupted by close
        });
        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        final AtomicInteger waitingRuns = new AtomicInteger();
        workers.execute(waitingRuns::incrementAndGet);
        assertThat(workers.waitingInvocations()).isEqualTo(1);

        assertThat(workers.shutdown()).isTrue();

        assertThat(workers.waitingInvocations()).isZero();
        assertThat(waitingRuns.get()).isZero();
        LeakCheck.threadsNamed(prefix(id)).assertNothingLeft();
    }

    @Test
    void closeReportsAWorkerThatIgnoresInterruptsAndItEndsLater() throws Exception {
        final String id = "stubborn:1";
        final InvocationWorkers workers = new InvocationWorkers(id, 2, 0, Duration.ZERO, Duration.ofMillis(100));
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> {
            started.countDown();
            while (release.getCount() > 0) {
                awaitQuietly(release); // swallows the interrupt and waits again
            }
        });
        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(workers.shutdown()).isFalse();
        assertThat(LeakCheck.threadsNamed(prefix(id)).threads()).containsExactly(prefix(id) + 1);

        release.countDown();
        LeakCheck.threadsNamed(prefix(id)).assertNothingLeft();
    }

    @Test
    void aTaskSubmittedAfterCloseIsRejected() {
        final InvocationWorkers workers = pool("late:1", 2, 10, Duration.ZERO);
        workers.execute(() -> { });
        workers.close();
        assertThatThrownBy(() -> workers.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("the worker threads of chaincode late:1 are closed");
        final InvocationWorkers unused = pool("never:1", 2, 10, Duration.ZERO);
        unused.close();
        assertThatThrownBy(() -> unused.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(unused.startedWorkers()).isZero();
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> pool("x:1", 0, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be at least 1, got 0");
        assertThatThrownBy(() -> pool("x:1", 1, -1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("waitingCapacity must not be negative, got -1");
        assertThatThrownBy(() -> pool("x:1", 1, 1, Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleSpin must not be negative");
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // the test releases the latch itself
        }
    }

    /** Executes a task on {@code workers} and returns the name of the thread that ran it. */
    private static String threadRunningNextTask(final InvocationWorkers workers) throws InterruptedException {
        final AtomicReference<String> ranOn = new AtomicReference<>();
        final CountDownLatch ran = new CountDownLatch(1);
        workers.execute(() -> {
            ranOn.set(Thread.currentThread().getName());
            ran.countDown();
        });
        assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the task ran").isTrue();
        return ranOn.get();
    }
}
