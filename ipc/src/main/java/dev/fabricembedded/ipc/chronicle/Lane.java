package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.WaitStrategy;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a lane of a {@link ChronicleChannel}: a synchronous side path of the channel that carries one
 * conversation at a time between one thread of each process, with no event-loop thread. The thread that sends a
 * request reads the answer itself, and when nothing is there it sleeps on the lane's doorbell, which the other process
 * rings after appending: each frame wakes exactly the thread that consumes it, one wake-up per hop.
 *
 * <p>Why: the channel multiplexes every conversation over one queue per direction, read by one thread at a time (its
 * event loop or an {@link dev.fabricembedded.ipc.InboundLease} holder). With two conversations at once, one of them
 * is always served through a hand-off between threads, and a waiter that the frame itself cannot wake polls (spins,
 * yields) or takes two wake-ups per hop. On a machine whose cores are all busy those polls and extra wake-ups cost
 * more CPU than the conversation: with two client threads endorsing, the endorsing threads spent 27 % of their CPU
 * samples in {@code sched_yield} (session 8, PERFORMANCE.md). A lane per concurrent conversation removes both.
 *
 * <p>Where the two threads run: a lane may have a home CPU ({@link #homeCpu()}, {@link ChronicleChannelBuilder#laneAffinity});
 * then both ends' threads run their conversation on it ({@link #bindToHomeCpu()} for the serving thread's life,
 * {@link #settleAtHome()} for one conversation of the creator's owner), so a hand-off is a context switch
 * on one CPU, never the wake-up of another one (which on a virtual machine whose idle vCPUs halt costs tens of
 * microseconds, see {@link CpuAffinity}), and conversations on lanes at home on different CPUs run in parallel.
 *
 * <p>How a receiver waits: at home, it yields to its partner while it waits for a reply within a conversation
 * ({@link #awaitReply}: the answer is computed on its own CPU), and blocks on the FIFO at once when it waits for the
 * next conversation ({@link #receive}). Otherwise it first polls per the channel's {@link WaitStrategy} up to
 * {@link WaitStrategy#blockAfter()} empty polls (spins, then yields: with a core to spare the answer is caught
 * microseconds after it lands), then announces that it sleeps and blocks on the FIFO. While the lane's saturation
 * hint is set ({@link #coresSaturated(boolean)}, written by the peer from its count of proposals in flight and read by
 * both ends) it blocks at once: every core has a thread with work, and a poll would only take CPU from it.
 *
 * <p>Layout (a subdirectory {@code lane-<n>} of the channel directory, made by the creator with the channel):
 * {@code creator-to-attacher/} and {@code attacher-to-creator/} (Chronicle Queues, frames as {@link FrameCodec}
 * writes them), the two FIFOs and the state file of {@link Doorbell}, and {@code served}, an empty file the attacher
 * makes once a thread serves its end ({@link #announceServed()}): the creator uses a lane only after that, so a side
 * that does not serve lanes (or not yet) is never sent a frame it will not read.
 *
 * <p>Threads: {@link #receive} by the lane's current owner only (one thread at a time; the creator's owners take and
 * give back lanes through {@link ChronicleChannel#tryAcquireLane()}, which orders them); {@link #send} by the owner or
 * a thread answering for it (writes are serialized by a lock); {@link #close()} and {@link #tick} by any thread. A lane has no liveness of its own: the channel's liveness thread
 * calls {@link #tick} on every tick, which wakes a sleeper whose deadline has passed (so {@link #receive}'s timeout
 * holds) and, as a safety net once per keepalive interval, any sleeper; the channel closes its lanes when it closes
 * for any reason, which wakes their sleepers with {@link ChannelClosedException}.
 */
public final class Lane implements FrameChannel {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
    static final String SERVED = "served";
    private static final byte[] NO_PAYLOAD = new byte[0];
    /** How many empty polls pass between two looks at the clock and the close flags while polling. */
    private static final int CHECK_EVERY = 64;
    /**
     * How long an owner bound at home yields to its partner for a reply before it sleeps ({@link #awaitReply}): longer
     * than one hop of a conversation takes (a ledger request served, a chaincode step: microseconds to tens of them),
     * short enough that a partner busy elsewhere (a slow chaincode, a pause) costs little spinning.
     */
    static final long REPLY_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final String name;
    private final Path dir;
    private final boolean creator;
    /** The CPU this lane's conversations run on ({@link #bindToHomeCpu()}), or {@code -1} for none. */
    private final int homeCpu;
    /** Used by the owner only: the binding of the current owner to {@link #homeCpu}, while it lasts. */
    private CpuBinding ownerBinding = CpuBinding.NONE;
    private final int maxFrameSize;
    private final WaitStrategy strategy;
    private final SingleChronicleQueue outbound;
    private final SingleChronicleQueue inbound;
    /** Guards {@link #appender}. */
    private final Object writeLock = new Object();
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;
    private final Doorbell inboundBell;
    private final Doorbell outboundBell;
    /** Used by the owner only. */
    private final byte[][] payload = new byte[1][];
    /** Used by the owner only: the cycle file being read, deleted once the writer rolled past it. */
    private int readCycle = Integer.MIN_VALUE;
    private File readFile;
    /** Used by the owner only: a frame read by the last look before sleeping, returned by the next poll. */
    private byte[] stashed;
    private Thread tailerThread;
    /** Threads inside {@link #send}/{@link #receive}/{@link #close}; the last one out of a closed lane releases it. */
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean remoteClosed;
    private volatile boolean served;
    /** {@link System#nanoTime()} after which a sleeping owner must be woken; {@code Long.MAX_VALUE} when not asleep. */
    private volatile long sleepDeadline = Long.MAX_VALUE;

    private Lane(String name, Path dir, boolean creator, int homeCpu, int maxFrameSize, RollCycle rollCycle,
                 WaitStrategy strategy) {
        this.name = name;
        this.dir = dir;
        this.creator = creator;
        this.homeCpu = homeCpu;
        this.maxFrameSize = maxFrameSize;
        this.strategy = strategy;
        long blockSize = ChronicleChannel.blockSizeFor(maxFrameSize);
        Doorbell in = null;
        Doorbell out = null;
        SingleChronicleQueue outQueue = null;
        SingleChronicleQueue inQueue = null;
        try {
            in = Doorbell.open(dir, creator);
            out = Doorbell.open(dir, !creator);
            Path creatorToAttacher = dir.resolve(ChannelDirectory.CREATOR_TO_ATTACHER);
            Path attacherToCreator = dir.resolve(ChannelDirectory.ATTACHER_TO_CREATOR);
            outQueue = SingleChronicleQueueBuilder.binary(creator ? creatorToAttacher : attacherToCreator)
                    .rollCycle(rollCycle).blockSize(blockSize).build();
            inQueue = SingleChronicleQueueBuilder.binary(creator ? attacherToCreator : creatorToAttacher)
                    .rollCycle(rollCycle).blockSize(blockSize).build();
        } catch (RuntimeException | Error e) {
            closeAll(in, out, outQueue, inQueue);
            throw e;
        }
        this.inboundBell = in;
        this.outboundBell = out;
        this.outbound = outQueue;
        this.inbound = inQueue;
        this.appender = outQueue.createAppender();
        // used by whichever thread owns the lane
        this.appender.singleThreadedCheckDisabled(true);
        this.tailer = inQueue.createTailer();
    }

    /** The directory of lane {@code index} in a channel directory. */
    static Path directory(Path channelDir, int index) {
        return channelDir.resolve("lane-" + index);
    }

    /**
     * Opens one end of a lane whose directory and doorbells {@link ChannelDirectory#create} made: the creator's, or the
     * attacher's (the creator hands the lane out once it is {@linkplain #announceServed served}).
     *
     * @param homeCpu the lane's home CPU from the directory, {@code -1} for none
     */
    static Lane open(Path dir, String name, boolean creator, int homeCpu, int maxFrameSize, RollCycle rollCycle,
                     WaitStrategy strategy) {
        return new Lane(name, dir, creator, homeCpu, maxFrameSize, rollCycle, strategy);
    }

    /**
     * On the attaching end, by the thread that will serve the lane, before the attaching side speaks on the channel:
     * tells the creator that conversations on this lane will be answered ({@value #SERVED}). An attaching side that
     * never calls it (one that reads only the channel) is never sent anything on the lane.
     *
     * @throws IllegalStateException on the creating end
     * @throws UncheckedIOException  if the marker cannot be written
     */
    public void announceServed() {
        if (creator) {
            throw new IllegalStateException("lane " + name + ": only the attaching end serves a lane");
        }
        try {
            Files.createFile(dir.resolve(SERVED));
        } catch (FileAlreadyExistsException e) {
            LOG.debug("lane {} was announced served before", name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark lane " + dir + " served: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The lane's directory. */
    public Path directory() {
        return dir;
    }

    /**
     * The CPU this lane's conversations run on, the same at both ends ({@link ChronicleChannelBuilder#laneAffinity}),
     * or {@code -1} when the lane has none.
     */
    public int homeCpu() {
        return homeCpu;
    }

    /**
     * Binds the calling thread, the lane's owner, to the lane's {@linkplain #homeCpu() home CPU} until the returned
     * binding is closed (on this thread; it gives the thread its CPU mask of before). The other end's thread runs on
     * the same CPU, so each hand-off of the conversation is a context switch on one CPU instead of a wake-up of another,
     * possibly idle, CPU. While the owner is bound, {@link #awaitReply} yields to the partner and {@link #receive}
     * sleeps at once instead of polling first: the answer is computed on this very CPU, so polling could only delay
     * it. The attaching side's serving thread binds itself once, for its life; the creating side's owner settles for
     * one conversation ({@link #settleAtHome()}). Binds nothing (an unbound
     * binding) for a lane without a home CPU, without CPU affinity on this platform, or for a thread that may not run
     * on the home CPU.
     */
    public CpuBinding bindToHomeCpu() {
        return atHome(CpuAffinity.bind(homeCpu));
    }

    /**
     * For one conversation, the cheap form of {@link #bindToHomeCpu()}: an owner already running on the home CPU stays
     * there unpinned (no system call; {@link ChronicleChannel#tryAcquireLane()} hands a caller the lane at home on its
     * CPU when it is free, so that is the usual case), any other is bound there. Within a conversation an owner at home
     * waits for each reply by yielding ({@link #awaitReply}), never asleep for long, so the scheduler has no wake-up at
     * which to move it away from its partner. Close the binding on this thread when the conversation ends.
     */
    public CpuBinding settleAtHome() {
        return atHome(CpuAffinity.settle(homeCpu));
    }

    private CpuBinding atHome(CpuBinding binding) {
        if (binding.isBound()) {
            ownerBinding = binding;
        }
        return binding;
    }

    /** {@code true} until either end closed the lane. */
    @Override
    public boolean isOpen() {
        return !closed && !remoteClosed;
    }

    /**
     * Whether the attaching end announced that it serves the lane ({@link #announceServed()}); always {@code true} on
     * the attaching end. Once {@code true} it stays so (looked up on the file system until then).
     */
    public boolean isServed() {
        if (!served && (!creator || Files.exists(dir.resolve(SERVED)))) {
            served = true;
        }
        return served;
    }

    /**
     * Sets the lane's saturation hint, read by both ends' receivers: while set, a receiver with nothing to read blocks
     * at once instead of polling first (see the class comment). A plain shared word; a stale value costs a little
     * latency or CPU, never correctness.
     */
    public void coresSaturated(boolean saturated) {
        outboundBell.coresSaturated(saturated);
    }

    /** The lane's saturation hint as both ends read it now. */
    public boolean coresSaturated() {
        return inboundBell.coresSaturated();
    }

    /**
     * Appends a frame and rings the other end if it sleeps.
     *
     * @throws FrameTooLargeException above the channel's maximum frame size
     * @throws ChannelClosedException if either end closed the lane
     */
    @Override
    public void send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length > maxFrameSize) {
            throw new FrameTooLargeException(name, frame.length, maxFrameSize);
        }
        enter();
        try {
            if (remoteClosed) {
                throw closedException();
            }
            write(FrameKind.DATA, frame);
        } finally {
            exit();
        }
    }

    /**
     * Appends one frame under {@link #writeLock}: besides the owner, a closing thread writes the close frame, and a
     * peer's invoke worker answers an INVOKE_CHAINCODE on its caller's lane; the appender is not thread-safe.
     */
    private void write(FrameKind kind, byte[] frame) {
        synchronized (writeLock) {
            try (DocumentContext dc = appender.writingDocument()) {
                try {
                    FrameCodec.write(dc.wire().bytes(), kind, frame);
                } catch (RuntimeException e) {
                    dc.rollbackOnClose();
                    throw e;
                }
            }
        }
        // after the append (Chronicle's release store), with a fence: see Doorbell
        outboundBell.ringIfSleeping();
    }

    /**
     * The next frame, when nothing says it comes soon (the serving side waiting for the next conversation), waiting at
     * most {@code timeoutNanos}: asleep on the doorbell at once when the owner is at home or the saturation hint
     * is set, else after polling per the wait strategy. Only the lane's owner may call it.
     *
     * @return the frame, or {@code null} once the time is up
     * @throws ChannelClosedException if either end closed the lane (the frames the other end wrote before its close
     *                                are returned first), or a frame is corrupt (the lane is then closed)
     */
    public byte[] receive(long timeoutNanos) {
        return receive(timeoutNanos, false);
    }

    /**
     * The next frame of a conversation in progress, the other end's answer to what this owner just sent, waiting at
     * most {@code timeoutNanos}. An owner at home ({@link #bindToHomeCpu()}, {@link #settleAtHome()}) yields its CPU, where the other
     * end's thread computes the answer, for up to {@value #REPLY_YIELD_NANOS} ns before it sleeps on the doorbell: a
     * yield hands the CPU straight to the partner (a context switch, no wake-up), and the partner, seeing this end
     * awake, appends its answer without ringing, so a hop costs one system call instead of a ring and a sleep. Other
     * owners wait as {@link #receive} does. Only the lane's owner may call it.
     *
     * @return the frame, or {@code null} once the time is up
     * @throws ChannelClosedException as {@link #receive}
     */
    public byte[] awaitReply(long timeoutNanos) {
        return receive(timeoutNanos, true);
    }

    private byte[] receive(long timeoutNanos, boolean reply) {
        enter();
        try {
            final long start = System.nanoTime();
            final long deadline = start + Math.max(0, timeoutNanos);
            final boolean atHome = ownerBinding.bindsCurrentThread();
            if (reply && atHome) {
                final long yieldUntil = start + Math.min(REPLY_YIELD_NANOS, Math.max(0, timeoutNanos));
                do {
                    byte[] frame = poll();
                    if (frame != null) {
                        return frame;
                    }
                    if (remoteClosed || closed) {
                        throw closedException();
                    }
                    Thread.yield();
                } while (System.nanoTime() - yieldUntil < 0);
            }
            final int pollFor = inboundBell.coresSaturated() || atHome ? 0
                    : strategy.blockAfter() >= 0 ? strategy.blockAfter() : Integer.MAX_VALUE;
            int idle = 0;
            while (true) {
                byte[] frame = poll();
                if (frame != null) {
                    return frame;
                }
                if (idle < pollFor) {
                    strategy.idle(idle);
                    if (++idle % CHECK_EVERY != 0) {
                        continue;
                    }
                }
                if (remoteClosed || closed) {
                    throw closedException();
                }
                if (deadline - System.nanoTime() <= 0) {
                    return null;
                }
                if (idle >= pollFor) {
                    sleep(deadline);
                }
            }
        } finally {
            exit();
        }
    }

    /** Announces the sleep, looks once more, then blocks until a ring (a frame, a close, or a tick). */
    private void sleep(long deadline) {
        sleepDeadline = deadline;
        inboundBell.announceSleep();
        stashed = poll();
        if (stashed != null || closed || remoteClosed || deadline - System.nanoTime() <= 0) {
            inboundBell.withdrawSleep();
        } else {
            inboundBell.await();
        }
        sleepDeadline = Long.MAX_VALUE;
    }

    private void ownTailer() {
        Thread current = Thread.currentThread();
        if (tailerThread != current) {
            tailer.singleThreadedCheckReset();
            tailerThread = current;
        }
    }

    private byte[] poll() {
        byte[] frame = stashed;
        if (frame != null) {
            stashed = null;
            return frame;
        }
        ownTailer();
        while (true) {
            FrameKind kind;
            try {
                kind = InboundQueueReader.readFrame(tailer, inbound, maxFrameSize, payload);
            } catch (CorruptFrameException e) {
                LOG.error("lane {}: {}; closing the lane", name, e.getMessage());
                remoteClosed = true;
                return null;
            }
            if (kind == null) {
                return null;
            }
            int cycle = tailer.cycle();
            if (cycle != readCycle) {
                readCycle = cycle;
                readFile = InboundQueueReader.reclaim(name, readFile, tailer.currentFile());
            }
            if (kind == FrameKind.DATA) {
                frame = payload[0];
                payload[0] = null;
                return frame;
            }
            if (kind == FrameKind.CLOSE) {
                remoteClosed = true;
                return null;
            }
            // keepalives are not sent on lanes; read on
        }
    }

    /** Whether this end's owner announced that it sleeps on the doorbell (or is about to); for tests. */
    boolean asleep() {
        return inboundBell.sleepAnnounced();
    }

    /**
     * From the channel's liveness thread: wakes a sleeping owner whose deadline has passed, or any sleeping owner when
     * {@code safetyNet} (once per keepalive interval: a lost ring then costs latency, never a hang).
     */
    void tick(long now, boolean safetyNet) {
        if (safetyNet || now - sleepDeadline >= 0) {
            inboundBell.ringIfSleeping();
        }
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException(name, remoteClosed
                ? new CloseReason(CloseReason.Kind.REMOTE_CLOSE, "the other side closed the lane")
                : new CloseReason(CloseReason.Kind.LOCAL_CLOSE, "the lane was closed"));
    }

    private void enter() {
        users.incrementAndGet();
        if (closed) {
            exit();
            throw closedException();
        }
    }

    private void exit() {
        if (users.decrementAndGet() == 0 && closed) {
            release();
        }
    }

    /**
     * Closes this end: the other end reads a close after everything written before it, and this end's owner, if it
     * sleeps, is woken and gets {@link ChannelClosedException}. The queues are released by the last thread out of the
     * lane. Idempotent.
     */
    @Override
    public void close() {
        users.incrementAndGet();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                write(FrameKind.CLOSE, NO_PAYLOAD);
            } catch (RuntimeException e) {
                LOG.debug("lane {}: close frame not written: {}", name, e.toString());
            }
            inboundBell.ring();
        } finally {
            exit();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            try {
                tailer.close();
            } catch (RuntimeException e) {
                LOG.debug("lane {}: closing its tailer: {}", name, e.toString());
            }
            closeAll(inboundBell, outboundBell, outbound, inbound);
        }
    }

    private static void closeAll(Doorbell in, Doorbell out, SingleChronicleQueue outQueue, SingleChronicleQueue inQueue) {
        if (in != null) {
            in.close();
        }
        if (out != null) {
            out.close();
        }
        if (outQueue != null) {
            outQueue.close();
        }
        if (inQueue != null) {
            inQueue.close();
        }
    }

    @Override
    public String toString() {
        return "Lane[" + name + (creator ? ", creator" : ", attacher") + ", " + dir + "]";
    }
}
