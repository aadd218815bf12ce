package dev.fabricembedded.shim.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool of worker threads that run a chaincode's INIT and TRANSACTION invocations, made for the one
 * hand-off that sits on the critical path of every invoke: the event-loop thread that read the message giving it to
 * an idle worker.
 *
 * <p><b>Why not a {@code ThreadPoolExecutor}.</b> Its hand-off goes through a blocking queue: a lock, a condition
 * signal that moves the parked taker to the lock's queue, an unpark, and the taker re-acquiring the lock; and its
 * idle workers wait on that queue in FIFO order, so a steady trickle of invocations rotates through every worker
 * (caches and wake-ups spread over five threads instead of one or two), and a worker is always parked when its turn
 * comes. Here an invocation is given to the <em>most recently idle</em> worker (LIFO: one or two threads stay hot,
 * the others sleep) through a single-slot compare-and-set; an idle worker polls its slot for a short, bounded time
 * before parking, and the submitter unparks it only if it announced that it parked. A worker caught while polling
 * costs the event loop one compare-and-set and no system call.
 *
 * <p><b>Bounds and rejection</b> (the semantics of the {@code ThreadPoolExecutor} it replaces, Fabric's
 * {@code TP_MAX_POOL_SIZE}/{@code TP_QUEUE_SIZE}): at most {@code threads} workers, started lazily, one per
 * invocation that finds no idle worker; when all are busy, up to {@code waitingCapacity} invocations wait in FIFO
 * order and a worker takes them before going idle; beyond that, and after {@link #close}, {@link #execute} throws
 * {@link RejectedExecutionException} (the handler answers the peer {@code ERROR "Failed to submit task for
 * processing"}). {@link #execute} never blocks: it takes the pool's lock only to start one of the first
 * {@code threads} workers.
 *
 * <p><b>Threads.</b> Workers are daemon threads named {@code chaincode-<name:version>-worker-<n>} (a chaincode that
 * never returns cannot keep a process alive). Any thread may call {@link #execute}; in the shim it is the channel's
 * event-loop thread. Each worker owns its thread-confined idle bookkeeping; its {@code slot} is the only word shared
 * with submitters.
 *
 * <p><b>A worker's state machine</b> (its {@code slot}):
 * <pre>
 *   BUSY ──(nothing waiting: publish idleSince, slot = IDLE)──► IDLE ──(submitter: CAS IDLE → task)──► task
 *    ▲  ◄──(waiting invocation: CAS IDLE → BUSY, poll the waiting room)──┘  │                          │
 *    │                                                                      │ (pool closed:             │
 *    └──────────────────────────(worker takes the task: slot = BUSY)────────┼──── CAS IDLE → STOPPED)   │
 *                                                                           ▼                           │
 *                                                                        STOPPED ◄──────────────────────┘ (after the
 *                                                                                       task, once closed)
 * </pre>
 * Only the worker moves its slot away from BUSY or from a task, only a submitter puts a task into it, and both
 * leave IDLE by compare-and-set, so an idle worker receives at most one task and an invocation is given to at most
 * one worker.
 *
 * <p><b>Race argument.</b> (1) <em>No lost wake-up of a parked worker:</em> before parking, the worker writes
 * {@code parked = true} and then reads its slot; the submitter writes the slot (its compare-and-set) and then reads
 * {@code parked}. Both are volatile, so at least one sees the other's write: either the worker sees the task and
 * does not park, or the submitter sees {@code parked} and unparks it (an unpark before the park makes the park
 * return at once; a stale one only costs the worker one more look at its slot). (2) <em>No invocation stranded in
 * the waiting room while a worker idles:</em> a worker publishes IDLE and then reads the waiting count (also after
 * {@code parked = true}); a submitter increments the count, enqueues, and then looks for idle workers, unparking
 * those that parked. Again one of the two sees the other. (3) <em>Nothing accepted after close is lost:</em> a
 * worker stops only by the compare-and-set IDLE → STOPPED, so a task a submitter managed to put into an idle slot
 * before that is run; a worker is started only under the pool's lock after checking {@code closed}, which
 * {@link #close} sets under the same lock; an invocation enqueued after close is taken back and rejected, and the
 * ones {@link #close} finds waiting are dropped (as {@code ThreadPoolExecutor.shutdownNow} drops them: the connection
 * closes its channel first, so they could not answer anyway). The hand-off stamp that decides a worker's next poll
 * is written before the compare-and-set and is only a hint: a second submitter's failed offer may overwrite it, which
 * misjudges one poll, nothing else.
 *
 * <p><b>Idle polling</b> ({@code idleSpin}): on a 2-core machine a polling worker takes a core away from the
 * threads doing the endorsement's cryptography, so it polls only while it pays: a worker polls after finishing an
 * invocation only if its previous idle period ended (the submitter stamps the hand-off) within {@code idleSpin};
 * otherwise it parks at once, and a worker that polled for the whole window in vain parks and does not poll next
 * time. It spins for the first 2 µs of the window and yields between looks for the rest, so that a thread ready to
 * run on its core is not kept waiting by the poll. Invocations arriving close together keep the hottest worker
 * polling; a sparse stream costs no polling.
 * {@link Duration#ZERO} never polls.
 *
 * <p>Public only so that a benchmark can set it beside a {@code ThreadPoolExecutor}; chaincode code never uses it
 * ({@link ChaincodeConnection} creates one per connection).
 */
public final class InvocationWorkers implements Executor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvocationWorkers.class);

    /** The marks a worker's slot holds besides the task handed to it. */
    private enum Mark {
        /** Running an invocation, or about to take one from the waiting room; accepts nothing. */
        BUSY,
        /** Idle, polling or parked: a submitter may put a task into the slot. */
        IDLE,
        /** Ended (the pool closed); accepts nothing. */
        STOPPED
    }

    /** The first part of an idle poll spins; the rest yields between looks at the slot. */
    private static final long PURE_SPIN_NANOS = 2_000;

    private static final VarHandle SLOT;
    static {
        try {
            SLOT = MethodHandles.lookup().findVarHandle(Worker.class, "slot", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String chaincodeId;
    private final int waitingCapacity;
    private final long idleSpinNanos;
    private final Duration shutdownTimeout;

    /** Filled lazily, under {@link #lifecycle}; slots below {@link #started} are published by its volatile write. */
    private final Worker[] workers;
    private volatile int started;
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    /** Invocations that found every worker busy; {@link #waitingCount} counts reservations and is bounded. */
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    /** Stamps of workers going idle: the greatest is the most recently idle worker. */
    private final AtomicLong idleSequence = new AtomicLong();

    /**
     * @param chaincodeId     {@code name:version}, for thread names and messages
     * @param threads         the most workers running at once (at least 1)
     * @param waitingCapacity invocations that may wait for a busy worker (0: none)
     * @param idleSpin        how long an idle worker polls its slot before parking, when recent invocations came
     *                        that close together ({@link Duration#ZERO}: never)
     * @param shutdownTimeout how long {@link #close} waits for the workers after interrupting them
     */
    public InvocationWorkers(final String chaincodeId, final int threads, final int waitingCapacity,
            final Duration idleSpin, final Duration shutdownTimeout) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (waitingCapacity < 0) {
            throw new IllegalArgumentException("waitingCapacity must not be negative, got " + waitingCapacity);
        }
        if (idleSpin.isNegative()) {
            throw new IllegalArgumentException("idleSpin must not be negative, got " + idleSpin);
        }
        this.chaincodeId = Objects.requireNonNull(chaincodeId, "chaincodeId");
        this.workers = new Worker[threads];
        this.waitingCapacity = waitingCapacity;
        this.idleSpinNanos = idleSpin.toNanos();
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /**
     * Runs {@code task} on a worker: the most recently idle one, else a newly started one, else (all busy) after
     * the invocations already waiting. Never blocks.
     *
     * @throws RejectedExecutionException if all workers are busy and the waiting room is full, or the pool is closed
     */
    @Override
    public void execute(final Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw closedRejection();
        }
        Worker idle;
        while ((idle = mostRecentlyIdle()) != null) {
            if (idle.offer(task)) {
                return;
            }
            // it left IDLE meanwhile (another task, the waiting room, close): look again
        }
        if (startWorker(task) || enqueue(task)) {
            return;
        }
        throw new RejectedExecutionException("all " + workers.length + " worker threads of chaincode " + chaincodeId
                + " are busy and " + waitingCapacity + " invocations are waiting");
    }

    /** The workers started so far (they stay until {@link #close}). */
    int startedWorkers() {
        return started;
    }

    /** Workers idle at this instant (polling or parked). */
    int idleWorkers() {
        int idle = 0;
        final int count = started;
        for (int i = 0; i < count; i++) {
            if (workers[i].slot == Mark.IDLE) {
                idle++;
            }
        }
        return idle;
    }

    /** Invocations waiting for a busy worker. */
    int waitingInvocations() {
        return waitingCount.get();
    }

    /**
     * Rejects further invocations, drops the waiting ones, interrupts every worker (running chaincode sees the
     * interrupt, idle workers stop) and waits up to the shutdown timeout for all of them to end; logs the ones that
     * did not (chaincode ignoring interrupts: daemon threads, they do not keep the process alive). Idempotent.
     *
     * @return whether every worker has ended
     */
    boolean shutdown() {
        final Worker[] all;
        synchronized (lifecycle) {
            closed = true;
            all = Arrays.copyOf(workers, started);
        }
        int dropped = 0;
        Runnable task;
        while ((task = waiting.poll()) != null) {
            waitingCount.decrementAndGet();
            dropped++;
        }
        if (dropped > 0) {
            LOG.warn("chaincode {}: {} waiting invocation(s) dropped at close", chaincodeId, dropped);
        }
        final List<String> left = interruptAndJoin(Arrays.stream(all).map(worker -> worker.thread).toList(),
                shutdownTimeout);
        if (!left.isEmpty()) {
            LOG.warn("chaincode {}: worker thread(s) {} still running {} after close (chaincode ignoring interrupts)",
                    chaincodeId, left, shutdownTimeout);
        }
        return left.isEmpty();
    }

    /**
     * Interrupts every thread, then waits for them to end, up to {@code timeout} in all: how the connection stops the
     * threads that run chaincode (these workers, the lanes' threads).
     *
     * @return the names of the threads still alive (a chaincode ignoring interrupts)
     */
    static List<String> interruptAndJoin(final List<Thread> threads, final Duration timeout) {
        threads.forEach(Thread::interrupt);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<String> left = new ArrayList<>();
        for (final Thread thread : threads) {
            try {
                final long remaining = deadline - System.nanoTime();
                if (remaining > 0) {
                    thread.join(Math.max(1, remaining / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                left.add(thread.getName());
            }
        }
        return left;
    }

    /** {@link #shutdown}; public for benchmarks that compare this pool with others. */
    @Override
    public void close() {
        shutdown();
    }

    private RejectedExecutionException closedRejection() {
        return new RejectedExecutionException("the worker threads of chaincode " + chaincodeId + " are closed");
    }

    /** The idle worker that went idle last, or {@code null}; a hint, settled by the caller's compare-and-set. */
    private Worker mostRecentlyIdle() {
        Worker best = null;
        long bestStamp = Long.MIN_VALUE;
        final int count = started;
        for (int i = 0; i < count; i++) {
            final Worker worker = workers[i];
            if (worker.slot == Mark.IDLE) {
                final long stamp = worker.idleSince;
                if (best == null || stamp > bestStamp) {
                    best = worker;
                    bestStamp = stamp;
                }
            }
        }
        return best;
    }

    private boolean startWorker(final Runnable first) {
        if (started == workers.length) {
            return false;
        }
        synchronized (lifecycle) {
            if (closed) {
                throw closedRejection();
            }
            final int index = started;
            if (index == workers.length) {
                return false;
            }
            final Worker worker = new Worker(first, "chaincode-" + chaincodeId + "-worker-" + (index + 1));
            try {
                worker.thread.start();
            } catch (OutOfMemoryError e) {
                throw new RejectedExecutionException("cannot start worker thread " + worker.thread.getName(), e);
            }
            workers[index] = worker;
            started = index + 1;
            return true;
        }
    }

    private boolean enqueue(final Runnable task) {
        if (waitingCount.incrementAndGet() > waitingCapacity) {
            waitingCount.decrementAndGet();
            return false;
        }
        waiting.offer(task);
        // a worker that went idle before it could see the count may have parked (race argument 2)
        final int count = started;
        for (int i = 0; i < count; i++) {
            workers[i].wakeIfParkedIdle();
        }
        if (closed && waiting.remove(task)) {
            waitingCount.decrementAndGet();
            throw closedRejection();
        }
        return true;
    }

    /** The next waiting invocation, or {@code null} (always after close: {@link #shutdown} drops them). */
    private Runnable pollWaiting() {
        if (closed || waitingCount.get() == 0) {
            return null;
        }
        final Runnable task = waiting.poll();
        if (task != null) {
            waitingCount.decrementAndGet();
        }
        return task;
    }

    /** One worker thread and its slot. */
    private final class Worker implements Runnable {

        private final Thread thread;
        /** {@link Mark} or the task handed over by a submitter; see the class comment's state machine. */
        private volatile Object slot = Mark.BUSY;
        /** Set before the slot turns IDLE; the greatest among idle workers marks the most recently idle. */
        private volatile long idleSince;
        /** Whether the worker may be parked: a submitter that filled its slot must unpark it. */
        private volatile boolean parked;
        /** When the submitter handed the current task over (written before its compare-and-set). */
        private long handedAt;
        private Runnable first;

        /** Worker thread only: whether this idle period polls before parking. */
        private boolean pollNext = true;

        Worker(final Runnable first, final String name) {
            this.first = first;
            this.thread = new Thread(this, name);
            this.thread.setDaemon(true);
        }

        /** Submitter: puts {@code task} into the slot if the worker is idle, and wakes it if it parked. */
        boolean offer(final Runnable task) {
            handedAt = idleSpinNanos > 0 ? System.nanoTime() : 0L;
            if (!SLOT.compareAndSet(this, Mark.IDLE, task)) {
                return false;
            }
            if (parked) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        void wakeIfParkedIdle() {
            if (slot == Mark.IDLE && parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            Runnable task = first;
            first = null;
            try {
                while (task != null) {
                    runTask(task);
                    task = pollWaiting();
                    if (task == null) {
                        task = awaitTask();
                    }
                }
            } finally {
                slot = Mark.STOPPED;
            }
        }

        private void runTask(final Runnable task) {
            if (!closed) {
                Thread.interrupted(); // an interrupt meant for the previous invocation does not reach this one
            }
            try {
                task.run();
            } catch (Throwable t) {
                // the invocation has answered the peer already (ChaincodeInvocation catches everything it can);
                // what escapes is a VirtualMachineError it rethrew: log it and keep the worker
                LOG.error("chaincode {}: invocation on {} ended with {}", chaincodeId, thread.getName(), t.toString(),
                        t);
            }
        }

        /**
         * Idles until a task is handed over or waits in the waiting room (returned), or the pool closes
         * ({@code null}). Polls first if the previous idle period was short, then parks.
         */
        private Runnable awaitTask() {
            final long idleStart = System.nanoTime();
            idleSince = idleSequence.incrementAndGet();
            slot = Mark.IDLE;
            if (pollNext && idleSpinNanos > 0) {
                final long until = idleStart + idleSpinNanos;
                final long spinUntil = idleStart + Math.min(idleSpinNanos, PURE_SPIN_NANOS);
                long now;
                do {
                    final Runnable task = take(idleStart);
                    if (task != null) {
                        return task;
                    }
                    if (closed) {
                        break;
                    }
                    now = System.nanoTime();
                    if (now - spinUntil < 0) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield(); // a thread ready to run on this core (a client's crypto) goes first
                    }
                } while (now - until < 0);
            }
            for (;;) {
                parked = true;
                final Runnable task = take(idleStart);
                if (task != null) {
                    parked = false;
                    return task;
                }
                if (closed) {
                    parked = false;
                    if (SLOT.compareAndSet(this, Mark.IDLE, Mark.STOPPED)) {
                        return null;
                    }
                    continue; // a submitter got its task in first: run it
                }
                LockSupport.park(this);
                parked = false;
                if (!closed) {
                    Thread.interrupted();
                }
            }
        }

        /**
         * A task handed over, or one taken from the waiting room (after leaving IDLE by compare-and-set, so that no
         * submitter fills the slot meanwhile); {@code null} if there is neither.
         */
        private Runnable take(final long idleStart) {
            final Object seen = slot;
            if (seen instanceof Runnable task) {
                slot = Mark.BUSY;
                pollNext = idleSpinNanos > 0 && handedAt - idleStart <= idleSpinNanos;
                return task;
            }
            if (waitingCount.get() > 0 && !closed && SLOT.compareAndSet(this, Mark.IDLE, Mark.BUSY)) {
                final Runnable task = pollWaiting();
                if (task != null) {
                    return task;
                }
                idleSince = idleSequence.incrementAndGet();
                slot = Mark.IDLE;
            }
            return null;
        }
    }
}
