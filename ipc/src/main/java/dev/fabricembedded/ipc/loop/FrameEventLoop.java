package dev.fabricembedded.ipc.loop;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameClaim;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of one channel end: one event-loop thread ({@code ipc-<name>-events}) that owns the end's
 * {@link FrameHandler} and is the only thread that calls it.
 *
 * <p>The thread runs a duty cycle over two sources: an optional {@link FrameSource} that it reads itself (the
 * Chronicle channel's inbound queue, up to {@value #SOURCE_BATCH} frames per cycle), and a Disruptor ring, the
 * end's mailbox for whatever other threads hand it: frames (the in-JVM channel's sender publishes there),
 * tasks ({@link #execute}) and close markers. It polls both without waiting and, when both are empty, idles
 * per the channel's {@link WaitStrategy}. Reading the queue on the handler's own thread is what keeps a round
 * trip between two processes down to two polling threads, one per end, instead of a tailer thread feeding an
 * event-loop thread on each side.
 *
 * <p>Waking up: a publication into the ring unparks the thread at once if it is parked ({@link RingWakeup}).
 * A frame written into the source by another process can only be noticed by polling, so when the strategy
 * parks, it parks for a bounded time: with {@link WaitStrategy#spinYieldPark()} the first frame after a quiet
 * period waits up to the strategy's longest park (2 ms, ~2.1 ms with Linux timer slack) before it is read.
 * Without a source (in-JVM) the thread parks until unparked, at most {@value #RING_ONLY_PARK_MILLIS} ms at a time.
 *
 * <p>Inbound lease ({@link #tryLease}): another thread of this process, typically one that sent a request and waits
 * for its answer, may take over reading the source for a while, so that the answer crosses one polling thread in
 * this process instead of two. Exactly one thread reads the source at any moment: an owner word, set by
 * compare-and-set, says who ({@code null} nobody, the event-loop thread during one read, a lease, or retired once
 * the loop closes); whoever takes it sees everything the previous reader did (the source's state is plain fields).
 * The event-loop thread takes the word for each single read and gives it back before delivering the frame, so a
 * slow handler never keeps a lease from being taken. While a lease is held the event-loop thread does not read the
 * source: it handles its ring (tasks, and the frames the holder forwards because it did not claim them, in the
 * order it read them) and otherwise parks, at most {@value #LEASED_PARK_MILLIS} ms at a time. The lease's return
 * does not wake it: the thread notices it at the end of its current park and resumes reading <em>in the park phase
 * of its idle sequence</em> (with {@link WaitStrategy#spinYieldPark()}: one poll per park, 50 µs doubling to 2 ms),
 * so a lease taken and returned for every request does not add a spinning or yielding thread to the two that carry
 * the conversation. Whoever needs the loop promptly publishes into its ring (a task, a forwarded frame, a close): a
 * publication unparks it and a loop that did work restarts its idle sequence at full speed. Frames forwarded by
 * the holder are published before the lease is returned, and the event-loop thread drains the ring before
 * delivering a frame it reads itself, so the handler sees frames in queue order. At close the loop retires the
 * source after {@code onClose} and before releasing the transport: it waits for a held lease to be returned (the
 * holder's next poll throws {@link ChannelClosedException}), at most {@value #LEASE_RETURN_TIMEOUT_MILLIS} ms.
 *
 * <p>Guarantees: frames are delivered one at a time, in order, on the event-loop thread only, and a frame is not
 * read from the source before the handler has returned from the previous one (a slow handler holds the
 * frames back in the queue, nothing is dropped). Tasks follow the ordering documented on
 * {@link dev.fabricembedded.ipc.HandlerExecutor}: the thread looks at the ring before delivering each frame
 * read from the source, and runs the tasks the handler submits to itself as soon as each callback returns.
 * {@link FrameHandler#onClose} is called exactly once, on the event-loop thread, after which nothing else is
 * delivered and the thread ends. A full ring makes publishers wait (nothing is dropped) until there is room
 * or the loop is closing.
 *
 * <p>Closing comes in two flavours. {@link #closeOrdered} (the other end closed in an orderly way) lets what
 * was accepted before it be delivered first: frames and tasks already in the ring, and everything the source
 * holds up to the point where it reports its end. {@link #closeNow} (local close, failures) discards what is
 * still queued and delivers {@code onClose} as soon as the event-loop thread gets to it. The first close wins
 * and fixes the {@link CloseReason}; later calls only hasten the end.
 */
public final class FrameEventLoop {

    /**
     * Frames read from the source in one duty cycle. The ring and the close flags are looked at before each of
     * them anyway (one volatile read each); the bound only keeps a flood of frames from holding the duty cycle.
     */
    static final int SOURCE_BATCH = 64;
    static final long RING_ONLY_PARK_MILLIS = 50;
    private static final long RING_ONLY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(RING_ONLY_PARK_MILLIS);
    /**
     * The longest park while a lease is held: the lease's return does not unpark the thread, so this bounds how late
     * it notices the return (plus Linux timer slack, ~50 µs), at the cost of ~1000 short wake-ups per second of lease.
     */
    static final long LEASED_PARK_MILLIS = 1;
    private static final long LEASED_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(LEASED_PARK_MILLIS);
    /**
     * How long a closing loop waits for a held lease to be returned before it releases the source anyway. A holder
     * polls continually (its next poll after the close throws), so this is only reached by a holder that broke its
     * contract; it stays below the channels' default close timeout (10 s).
     */
    static final long LEASE_RETURN_TIMEOUT_MILLIS = 2_000;
    private static final long LEASE_RETURN_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(LEASE_RETURN_TIMEOUT_MILLIS);
    private static final long LEASE_RETURN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How long {@link #tryLease} waits for the event-loop thread to finish the one read it may be in. That read takes
     * a few hundred ns, but the thread can be descheduled in the middle of it (a loaded 2-core machine, a cycle file
     * being mapped): a bound by time, not by attempts, keeps a taker from giving up on a lease it would have had a
     * moment later. A caller that gets {@code null} waits for the loop to deliver anyway, so waiting here costs
     * nothing the fallback would not.
     */
    static final long LEASE_WAIT_MILLIS = 100;
    private static final long LEASE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(LEASE_WAIT_MILLIS);
    private static final int LEASE_SPINS = 100;
    private static final int LEASE_YIELDS = 1_000;
    private static final long LEASE_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** The owner word's value once the loop closes: nobody reads the source any more. */
    private static final Object RETIRED = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(FrameEventLoop.class);
    private static final VarHandle AWAITING_INPUT;
    private static final VarHandle SOURCE_OWNER;
    private static final VarHandle BLOCKED;
    /** {@link #armed}: not about to block on the bell; about to, as the source's reader; about to, while leased. */
    private static final int NOT_ARMED = 0;
    private static final int ARMED_READER = 1;
    private static final int ARMED_LEASED = 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            AWAITING_INPUT = lookup.findVarHandle(FrameEventLoop.class, "awaitingInput", boolean.class);
            SOURCE_OWNER = lookup.findVarHandle(FrameEventLoop.class, "sourceOwner", Object.class);
            BLOCKED = lookup.findVarHandle(FrameEventLoop.class, "blocked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final FrameChannel channel;
    private final FrameHandler handler;
    private final WaitStrategy waitStrategy;
    /** {@code null} for a loop fed only through its ring. */
    private final FrameSource source;
    private final Runnable afterClose;
    private final RingWakeup wakeup = new RingWakeup(this::ringIfBlocked);
    /**
     * The source's doorbell, which the idle event-loop thread blocks on, or {@code null}: no source, a source without
     * one, or a wait strategy that never blocks ({@link WaitStrategy#blockAfter()} {@code -1}).
     */
    private final SourceBell bell;
    /** Empty polls (spins) before the thread blocks on {@link #bell}. */
    private final int blockAfter;
    /**
     * {@code true} from the moment the event-loop thread arms itself to block on {@link #bell} until it is woken or
     * disarms: whoever takes it from {@code true} to {@code false} by compare-and-set rings (one ring per sleep).
     */
    @SuppressWarnings("unused")
    private volatile boolean blocked;
    /**
     * The idle count from which {@link #waitStrategy} parks, where the thread resumes after a returned lease, or
     * {@code 0} for a strategy that never parks (it then resumes at full speed, as that strategy always runs).
     */
    private final int parkPhase;
    private final RingBuffer<FrameEvent> ring;
    private final EventPoller<FrameEvent> poller;
    private final Sequence consumed;
    private final EventPoller.Handler<FrameEvent> ringHandler = this::onRingEvent;
    private final Thread thread;
    private final AtomicReference<CloseReason> reason = new AtomicReference<>();
    private volatile boolean discardPending;
    private volatile boolean terminated;
    /** Written (release) by the event-loop thread on each change; read by the channel's liveness thread. */
    @SuppressWarnings("unused")
    private volatile boolean awaitingInput;
    /**
     * Who may read the source: {@code null} nobody, {@link #thread} the event-loop thread during one read, a
     * {@link Lease}, or {@link #RETIRED}. Changed by compare-and-set only, so exactly one thread reads at a time, and
     * each reader sees what the previous one did to the source.
     */
    @SuppressWarnings("unused")
    private volatile Object sourceOwner;
    /**
     * Threads in {@link #tryLease} right now: while there are any, the event-loop thread does not take the owner word
     * for another read, so a taker is not starved by a loop reading a stream of frames or polling an empty queue.
     */
    private final AtomicInteger leaseTakers = new AtomicInteger();
    /**
     * The lease holder while it is inside {@link FrameSource#poll}: a close the source asks for then keeps order.
     * Written and compared by the holder's thread only (any other thread finds a value other than itself), so plain.
     */
    private Thread sourceReadByLeaseHolder;

    // ---- owned by the event-loop thread ----
    /** Tasks the event-loop thread submitted to itself; they run as soon as the current callback returns. */
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    private boolean closeDelivered;
    /** An orderly close requested on the event-loop thread (by the source): finish the ring, then close. */
    private boolean closeWhenDrained;
    private boolean awaitingInputMirror;
    /** Whether the thread announced it is about to block on the bell, and in which role ({@link #NOT_ARMED}...). */
    private int armed = NOT_ARMED;

    /** A loop fed only through its ring (the in-JVM channel); see the full constructor. */
    public FrameEventLoop(String name, FrameChannel channel, FrameHandler handler, WaitStrategy waitStrategy,
                          int ringSize, Runnable afterClose) {
        this(name, channel, handler, waitStrategy, ringSize, null, afterClose);
    }

    /**
     * @param name         channel name, used in the thread name {@code ipc-<name>-events}
     * @param channel      the channel end passed to the handler
     * @param handler      receives frames and the close, on the event-loop thread
     * @param waitStrategy how the event-loop thread idles and blocked publishers wait
     * @param ringSize     slots in the ring, a power of two
     * @param source       frames the event-loop thread reads itself, or {@code null}
     * @param afterClose   run on the event-loop thread right after {@code onClose} (releases the transport);
     *                     must not throw
     */
    public FrameEventLoop(String name, FrameChannel channel, FrameHandler handler, WaitStrategy waitStrategy,
                          int ringSize, FrameSource source, Runnable afterClose) {
        this.name = Objects.requireNonNull(name, "name");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        this.source = source;
        this.afterClose = Objects.requireNonNull(afterClose, "afterClose");
        this.parkPhase = firstParkingCount(waitStrategy);
        SourceBell sourceBell = source != null ? source.bell() : null;
        this.blockAfter = waitStrategy.blockAfter();
        this.bell = blockAfter >= 0 ? sourceBell : null;
        if (ringSize <= 0 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a positive power of two, got " + ringSize);
        }
        this.ring = RingBuffer.createMultiProducer(FrameEvent::new, ringSize, wakeup);
        this.poller = ring.newPoller();
        this.consumed = poller.getSequence();
        this.ring.addGatingSequences(consumed);
        this.thread = new Thread(this::run, "ipc-" + name + "-events");
        this.thread.setDaemon(true);
    }

    /**
     * The first idle count at which {@code strategy} may park, or {@code 0} if it never parks (busy spin, yield): a
     * binary search, since {@link WaitStrategy#mayPark} stays {@code true} once it is (the idle sequence only slows).
     */
    private static int firstParkingCount(WaitStrategy strategy) {
        if (!strategy.mayPark(Integer.MAX_VALUE) || strategy.mayPark(0)) {
            return 0;
        }
        int notParking = 0;
        int parking = Integer.MAX_VALUE;
        while (parking - notParking > 1) {
            int middle = notParking + (parking - notParking) / 2;
            if (strategy.mayPark(middle)) {
                parking = middle;
            } else {
                notParking = middle;
            }
        }
        return parking;
    }

    /** Starts the event-loop thread. */
    public void start() {
        thread.start();
    }

    /**
     * Publishes one inbound frame into the ring, waiting while it is full. Not for the event-loop thread itself.
     *
     * @return {@code false} if the loop is closed or closing and the frame will not be delivered
     */
    public boolean publish(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        return publish(FrameEvent.Kind.FRAME, frame, null, true);
    }

    /**
     * Runs {@code task} on the event-loop thread (see {@link dev.fabricembedded.ipc.HandlerExecutor} for the
     * ordering). From another thread the task goes through the ring, waiting while it is full; from the
     * event-loop thread it runs as soon as the current callback returns.
     *
     * @throws RejectedExecutionException if the loop is closed or closing
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (isEventThread()) {
            CloseReason closed = reason.get();
            if (closed != null) {
                throw rejected(closed);
            }
            localTasks.add(task);
        } else if (!publish(FrameEvent.Kind.TASK, null, task, true)) {
            throw rejected(reason.get());
        }
    }

    private RejectedExecutionException rejected(CloseReason closed) {
        ChannelClosedException cause = new ChannelClosedException(channel.name(), closed);
        RejectedExecutionException e = new RejectedExecutionException("task refused: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /**
     * Closes in order: what was accepted before this call (frames and tasks in the ring; when called on the
     * event-loop thread by the source, everything the source delivered) is handled first, then
     * {@code onClose(reason)}.
     *
     * @return {@code true} if this call closed the loop, {@code false} if it was already closed or closing
     */
    public boolean closeOrdered(CloseReason closeReason) {
        if (!reason.compareAndSet(null, Objects.requireNonNull(closeReason, "closeReason"))) {
            return false;
        }
        if (isEventThread()) {
            closeWhenDrained = true;
        } else if (!publish(FrameEvent.Kind.CLOSE, null, null, false)) {
            wake();
        }
        return true;
    }

    /**
     * Closes at once: frames and tasks not yet handled are discarded and {@code onClose} is delivered next with
     * the first close reason (this one unless the loop was already closing). Called by the source while a lease
     * holder reads it (a corrupt frame, a read failure), it closes in order instead: the frames the holder forwarded
     * before are delivered first, as they would have been had the event-loop thread read them.
     *
     * @return {@code true} if this call fixed the close reason
     */
    public boolean closeNow(CloseReason closeReason) {
        if (sourceReadByLeaseHolder == Thread.currentThread()) {
            // the lease holder's read found a corrupt frame or failed: the frames it forwarded before go first, as the
            // event-loop thread, reading itself, would have delivered them before reading further
            return closeOrdered(closeReason);
        }
        boolean won = reason.compareAndSet(null, Objects.requireNonNull(closeReason, "closeReason"));
        discardPending = true;
        if (!isEventThread()) {
            wake();
        }
        return won;
    }

    /**
     * Unparks the event-loop thread so that it polls its source at once, e.g. when the source has learnt that
     * it ended. Publications into the ring do this by themselves.
     */
    public void wake() {
        LockSupport.unpark(thread);
        ringIfBlocked();
    }

    /**
     * {@code true} when the event-loop thread, idle, blocks on the source's doorbell, which the other process rings
     * after writing: it then reads a frame as soon as the kernel wakes it, so a waiter may hand reading back to it and
     * block (or park until the handler hands the answer over) instead of polling, and need not hurry it.
     */
    public boolean wakesOnInput() {
        return bell != null;
    }

    /**
     * {@code true} while the event-loop thread is asleep on its doorbell or about to block on it (armed, looking at
     * its sources one last time). For monitoring and tests.
     */
    public boolean isAsleepOnBell() {
        return blocked;
    }

    /** Rings the bell if the event-loop thread is (about to be) asleep on it; once per sleep. */
    private void ringIfBlocked() {
        SourceBell b = bell;
        if (b != null && blocked && BLOCKED.compareAndSet(this, true, false)) {
            b.ring();
        }
    }

    /** The reason the loop closed or is closing, or {@code null} while open. */
    public CloseReason closeReason() {
        return reason.get();
    }

    /** {@code true} until a close has been requested. */
    public boolean isOpen() {
        return reason.get() == null;
    }

    /** {@code true} on the event-loop thread. */
    public boolean isEventThread() {
        return Thread.currentThread() == thread;
    }

    /** {@code true} once the handler has seen {@code onClose}; the thread ends right after releasing the transport. */
    public boolean isTerminated() {
        return terminated;
    }

    /**
     * {@code true} while the event-loop thread is polling an empty source and ring, {@code false} while it
     * handles a frame or a task. A liveness check uses it to tell silence of the other side from a busy
     * handler that is not reading.
     */
    public boolean isAwaitingInput() {
        return (boolean) AWAITING_INPUT.getVolatile(this);
    }

    /**
     * Takes the inbound lease for the calling thread (see {@link InboundLease} and the class comment). Never waits
     * for a holder; waits for the event-loop thread to finish the single read it may be doing (it takes no further
     * read while a thread is in here): spins, yields, then parks briefly, giving up after
     * {@value #LEASE_WAIT_MILLIS} ms more if that thread stays descheduled in the middle of it.
     *
     * @return the lease, or {@code null} if the loop has no source, is closed or closing, this is the event-loop
     *         thread, or a lease is held (by any thread, this one included)
     */
    public InboundLease tryLease() {
        if (source == null || isEventThread() || reason.get() != null) {
            return null;
        }
        Lease lease = new Lease(Thread.currentThread());
        leaseTakers.incrementAndGet();
        try {
            long deadline = 0;
            for (int attempt = 0; ; attempt++) {
                Object owner = sourceOwner;
                if (owner == null) {
                    if (SOURCE_OWNER.compareAndSet(this, null, lease)) {
                        if (reason.get() != null) {
                            lease.close();
                            return null;
                        }
                        if (bell != null) {
                            // the holder polls now: the writer need not ring a loop that may sleep through the lease
                            bell.withdrawSleep();
                        }
                        return lease;
                    }
                } else if (owner != thread) {
                    return null;
                } else if (attempt < LEASE_SPINS) {
                    Thread.onSpinWait();
                } else if (attempt < LEASE_SPINS + LEASE_YIELDS) {
                    Thread.yield();
                } else {
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + LEASE_WAIT_NANOS;
                    } else if (now - deadline >= 0) {
                        return null;
                    }
                    LockSupport.parkNanos(this, LEASE_PARK_NANOS);
                }
            }
        } finally {
            leaseTakers.decrementAndGet();
        }
    }

    /**
     * Waits for the event-loop thread to end. Returns at once, {@code true}, on the event-loop thread itself
     * (it ends as soon as the current callback returns).
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (isEventThread()) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    private boolean publish(FrameEvent.Kind kind, byte[] frame, Runnable task, boolean refuseWhenClosing) {
        int idleCount = 0;
        while (true) {
            if (discardPending || terminated || refuseWhenClosing && reason.get() != null) {
                return false;
            }
            try {
                long sequence = ring.tryNext();
                ring.get(sequence).set(kind, frame, task);
                ring.publish(sequence);
                return true;
            } catch (InsufficientCapacityException full) {
                waitStrategy.idle(idleCount);
                if (idleCount < Integer.MAX_VALUE) {
                    idleCount++;
                }
            }
        }
    }

    // ---- the event-loop thread -----------------------------------------------------------------------

    private void run() {
        int idleCount = 0;
        try {
            while (true) {
                boolean worked = runLocalTasks();
                worked |= drainRing();
                if (!closeDelivered && !discardPending && !closeWhenDrained) {
                    worked |= pollSource();
                }
                if (closeDelivered) {
                    return;
                }
                if (discardPending) {
                    deliverClose();
                    return;
                }
                if (closeWhenDrained) {
                    runLocalTasks();
                    drainRing();
                    if (!closeDelivered) {
                        deliverClose();
                    }
                    return;
                }
                if (worked) {
                    idleCount = 0;
                    if (armed != NOT_ARMED) {
                        disarm();
                    }
                    continue;
                }
                setAwaitingInput(true);
                if (bell != null) {
                    if (idleCount >= blockAfter || bell.coresSaturated()) {
                        // saturated cores: polling would only take CPU from threads with work (see SourceBell)
                        sleepOnBell(); // the count stays: after a wake-up that brought nothing, block again
                    } else {
                        waitStrategy.idle(idleCount);
                        idleCount++;
                    }
                    continue;
                }
                if (sourceOwner instanceof Lease) {
                    idleLeased();
                    // a returned lease is taken up lazily: poll once per park until something happens
                    idleCount = Math.max(idleCount, parkPhase);
                    continue;
                }
                idle(idleCount);
                if (idleCount < Integer.MAX_VALUE) {
                    idleCount++;
                }
            }
        } catch (Throwable e) {
            LOG.error("channel {}: the event loop failed", name, e);
            if (!closeDelivered) {
                reason.compareAndSet(null, new CloseReason(CloseReason.Kind.IO_ERROR, "the event loop failed: " + e));
                discardPending = true;
                deliverClose();
            }
        } finally {
            if (source != null) {
                retireSource();
                try {
                    source.close();
                } catch (RuntimeException | Error e) {
                    LOG.warn("channel {}: closing the inbound source failed", name, e);
                }
            }
        }
    }

    /** Handles what the ring holds now; {@code true} if there was anything. */
    private boolean drainRing() throws Exception {
        return poller.poll(ringHandler) == EventPoller.PollState.PROCESSING;
    }

    private boolean onRingEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        FrameEvent.Kind kind = event.kind;
        byte[] frame = event.frame;
        Runnable task = event.task;
        event.clear();
        if (discardPending) {
            return false;
        }
        switch (kind) {
            case FRAME -> deliverFrame(frame);
            case TASK -> runTask(task);
            case CLOSE -> {
                deliverClose();
                return false;
            }
            default -> throw new IllegalStateException("unknown event kind " + kind);
        }
        return !discardPending;
    }

    /** Reads up to a batch of frames from the source and delivers them; {@code true} if there was any. */
    private boolean pollSource() throws Exception {
        if (source == null) {
            return false;
        }
        int frames = 0;
        while (frames < SOURCE_BATCH) {
            if (leaseTakers.get() != 0 || !SOURCE_OWNER.compareAndSet(this, null, thread)) {
                break; // leased, or about to be
            }
            byte[] frame;
            try {
                frame = source.poll(this);
            } finally {
                SOURCE_OWNER.setRelease(this, null);
            }
            if (frame == null) {
                break;
            }
            frames++;
            if (ring.getCursor() > consumed.get()) {
                // tasks accepted before this frame was read go first
                drainRing();
                if (closeDelivered) {
                    return true;
                }
            }
            if (discardPending) {
                return true;
            }
            deliverFrame(frame);
            if (discardPending) {
                return true;
            }
        }
        return frames > 0;
    }

    private void deliverFrame(byte[] frame) {
        setAwaitingInput(false);
        try {
            handler.onFrame(channel, frame);
        } catch (Throwable e) {
            LOG.error("channel {}: frame handler failed, closing the channel", name, e);
            closeNow(new CloseReason(CloseReason.Kind.HANDLER_FAILED, "frame handler failed: " + e));
        }
        runLocalTasks();
    }

    private void runTask(Runnable task) {
        setAwaitingInput(false);
        runGuarded(task);
        runLocalTasks();
    }

    /** Runs the tasks the event-loop thread submitted to itself, including those they submit; {@code true} if any. */
    private boolean runLocalTasks() {
        boolean ran = false;
        Runnable task;
        while (!discardPending && (task = localTasks.poll()) != null) {
            if (!ran) {
                setAwaitingInput(false);
                ran = true;
            }
            runGuarded(task);
        }
        return ran;
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            LOG.error("channel {}: a task on the event-loop thread failed, closing the channel", name, e);
            closeNow(new CloseReason(CloseReason.Kind.HANDLER_FAILED, "task on the event-loop thread failed: " + e));
        }
    }

    private void idle(int idleCount) {
        if (!waitStrategy.mayPark(idleCount)) {
            waitStrategy.idle(idleCount);
            return;
        }
        wakeup.register(thread);
        try {
            if (ring.getCursor() > consumed.get() || discardPending) {
                return;
            }
            if (source == null) {
                LockSupport.parkNanos(this, RING_ONLY_PARK_NANOS);
            } else {
                // a frame in the source is noticed only by polling: the strategy's park is bounded
                waitStrategy.idle(idleCount);
            }
        } finally {
            wakeup.unregister();
        }
    }

    /**
     * Blocking on the doorbell, in two steps. Arming: the thread marks itself {@link #blocked} and, as the source's
     * reader (no lease held), announces to the writing process that it sleeps, with a full fence; then it runs one
     * more duty cycle, so whatever was published or written before the announcement is found. Blocking: if that
     * cycle found nothing, it blocks on the bell until a ring, which comes from the other process (a frame appended
     * while the announcement stood), from a publisher of this process (a task, a forwarded frame, a close, a wake-up;
     * they ring if {@link #blocked} is set), or from a lease holder returning the source. No ring is lost: each side
     * writes its flag, fences, then reads the other's (the writer: appends, fences, reads the announcement). A thread
     * that armed while a lease was held does not announce (the holder polls); when it finds the lease returned before
     * it blocks, it disarms and arms again as the reader; when the lease is returned while it sleeps, the holder makes
     * it the reader ({@link Lease#close()}).
     */
    private void sleepOnBell() {
        if (armed == NOT_ARMED) {
            BLOCKED.setVolatile(this, true);
            if (sourceOwner instanceof Lease) {
                armed = ARMED_LEASED;
                VarHandle.fullFence();
            } else {
                armed = ARMED_READER;
                bell.announceSleep();
            }
            return;
        }
        if (armed == ARMED_LEASED && !(sourceOwner instanceof Lease)) {
            disarm();
            return;
        }
        bell.await();
        BLOCKED.setVolatile(this, false);
        armed = NOT_ARMED;
    }

    /**
     * Work turned up after arming: no longer blocked, and the writer need not ring. A ring already on its way (the
     * compare-and-set lost) leaves a byte in the bell: one spurious wake-up at the next sleep.
     */
    private void disarm() {
        BLOCKED.compareAndSet(this, true, false);
        if (armed == ARMED_READER) {
            bell.withdrawSleep();
        }
        armed = NOT_ARMED;
    }

    /**
     * While a lease is held there is nothing to poll but the ring: park until a publication (a forwarded frame, a
     * task, a close) or a close request unparks the thread, at most {@value #LEASED_PARK_MILLIS} ms, after which it
     * looks again whether the lease was returned (a returned lease does not unpark it).
     */
    private void idleLeased() {
        wakeup.register(thread);
        try {
            if (ring.getCursor() > consumed.get() || discardPending || !(sourceOwner instanceof Lease)) {
                return;
            }
            LockSupport.parkNanos(this, LEASED_PARK_NANOS);
        } finally {
            wakeup.unregister();
        }
    }

    /**
     * Closing, on the event-loop thread: from now on nobody reads the source. Waits (bounded) for a held lease to be
     * returned, since the transport is released next; idempotent.
     */
    private void retireSource() {
        if (source == null) {
            return;
        }
        long deadline = System.nanoTime() + LEASE_RETURN_TIMEOUT_NANOS;
        while (true) {
            Object owner = sourceOwner;
            if (owner == RETIRED) {
                return;
            }
            if (!(owner instanceof Lease lease)) {
                if (SOURCE_OWNER.compareAndSet(this, owner, RETIRED)) {
                    return;
                }
                continue;
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.error("channel {}: thread {} still holds the inbound lease {} ms after the channel closed; releasing"
                        + " the inbound queue anyway", name, lease.holder.getName(), LEASE_RETURN_TIMEOUT_MILLIS);
                SOURCE_OWNER.setVolatile(this, RETIRED);
                return;
            }
            wakeup.register(thread);
            try {
                if (sourceOwner == owner) {
                    LockSupport.parkNanos(this, LEASE_RETURN_POLL_NANOS);
                }
            } finally {
                wakeup.unregister();
            }
        }
    }

    private void setAwaitingInput(boolean awaiting) {
        if (awaitingInputMirror != awaiting) {
            awaitingInputMirror = awaiting;
            AWAITING_INPUT.setRelease(this, awaiting);
        }
    }

    private void deliverClose() {
        closeDelivered = true;
        localTasks.clear();
        setAwaitingInput(false);
        CloseReason closeReason = reason.get();
        try {
            handler.onClose(channel, closeReason);
        } catch (RuntimeException | Error e) {
            LOG.warn("channel {}: handler failed in onClose({})", name, closeReason, e);
        }
        terminated = true;
        retireSource();
        try {
            afterClose.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("channel {}: releasing the transport failed", name, e);
        }
    }

    /** The inbound lease of one thread; see {@link InboundLease}. */
    private final class Lease implements InboundLease {

        private final Thread holder;
        private volatile boolean returned;

        Lease(Thread holder) {
            this.holder = holder;
        }

        @Override
        public byte[] poll(FrameClaim claim) {
            Objects.requireNonNull(claim, "claim");
            if (Thread.currentThread() != holder) {
                throw new IllegalStateException("the inbound lease of channel " + name + " belongs to thread "
                        + holder.getName() + ", not " + Thread.currentThread().getName());
            }
            if (returned) {
                throw new IllegalStateException("the inbound lease of channel " + name + " was returned");
            }
            CloseReason closing = reason.get();
            if (closing != null || sourceOwner != this) {
                throw closed(closing);
            }
            byte[] frame;
            sourceReadByLeaseHolder = holder;
            try {
                frame = source.poll(FrameEventLoop.this);
            } finally {
                sourceReadByLeaseHolder = null;
            }
            if (frame == null) {
                closing = reason.get();
                if (closing != null) {
                    throw closed(closing);
                }
                return null;
            }
            boolean claimed;
            try {
                claimed = claim.claims(frame);
            } catch (RuntimeException | Error e) {
                forward(frame);
                throw e;
            }
            if (claimed) {
                return frame;
            }
            forward(frame);
            return null;
        }

        /** Hands a frame the holder did not claim to the event-loop thread, behind those forwarded before it. */
        private void forward(byte[] frame) {
            if (!publish(FrameEvent.Kind.FRAME, frame, null, true)) {
                throw closed(reason.get());
            }
        }

        private ChannelClosedException closed(CloseReason closing) {
            return new ChannelClosedException(channel.name(), closing != null ? closing
                    : new CloseReason(CloseReason.Kind.LOCAL_CLOSE, "closing"));
        }

        /**
         * Returns the word quietly: a running loop is not woken (see the class comment). A closing loop waits for the
         * return to release the source, so it is woken then (its registration precedes its last look at the word).
         */
        @Override
        public void close() {
            if (returned) {
                return;
            }
            boolean mine = sourceOwner == this;
            if (mine && bell != null && blocked && reason.get() == null) {
                handReadingToSleeper();
            }
            returned = true;
            if (SOURCE_OWNER.compareAndSet(FrameEventLoop.this, this, null)) {
                if (reason.get() != null) {
                    wakeup.signalAllWhenBlocking();
                } else if (bell != null) {
                    // the loop armed while the lease was held and may block with no announcement standing: wake it
                    VarHandle.fullFence();
                    if (blocked && !bell.sleepAnnounced()) {
                        ringIfBlocked();
                    }
                }
            }
        }

        /**
         * The event-loop thread sleeps on the bell (it blocked while the lease was held, or is about to): make it the
         * source's reader again without waking it. Announce to the writer that the reader sleeps, then hand over what
         * arrived before the announcement (a forwarded frame wakes the loop); whatever is appended later rings.
         */
        private void handReadingToSleeper() {
            bell.announceSleep();
            try {
                byte[] frame;
                while ((frame = source.poll(FrameEventLoop.this)) != null) {
                    forward(frame);
                }
            } catch (ChannelClosedException closing) {
                // the loop is closing: it releases the source without reading it
            }
        }

        @Override
        public String toString() {
            return "InboundLease[" + name + ", " + holder.getName() + (returned ? ", returned]" : "]");
        }
    }
}
