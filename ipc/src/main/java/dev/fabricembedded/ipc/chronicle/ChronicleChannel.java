package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.loop.FrameEventLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a duplex frame channel between two processes over two memory-mapped Chronicle Queues, one per
 * direction, each written by exactly one process (see {@link ChannelDirectory} for the layout). Created by
 * {@link #builder(Path)}: the peer side {@code create}s the directory, the chaincode side {@code attach}es to
 * it by path, from another JVM or from a container with the directory bind-mounted.
 *
 * <p>Threads of one end, both named after the channel and both stopped by {@link #close()}:
 * <ul>
 *   <li>{@code ipc-<name>-events}, the only thread on the hot path: it reads the inbound queue itself
 *       ({@link InboundQueueReader}: framing checked by {@link FrameCodec}, keepalives consumed, cycle files
 *       reclaimed) and calls the {@link FrameHandler}, which it owns, for each data frame; between reads it
 *       drains the end's Disruptor ring, the mailbox for tasks ({@link #execute}) and close requests from other
 *       threads ({@link FrameEventLoop}). It reads the next frame only once the handler has returned, so a slow
 *       handler holds frames back in the queue and nothing is lost;</li>
 *   <li>{@code ipc-<name>-liveness}, parked between ticks, never on the hot path: sends a keepalive after a
 *       quiet keepalive interval, and notices that the other side is gone: its watched process exited, or
 *       nothing arrived for the liveness timeout while the event-loop thread was waiting for input.</li>
 * </ul>
 * A thread waiting for an answer may take over reading the inbound queue for a while
 * ({@link #tryLeaseInbound()}): the answer then crosses one polling thread in each process, not two in this one.
 * A channel may also have lanes ({@link Lane}, {@link ChronicleChannelBuilder#lanes(int)}): synchronous side paths
 * that carry one conversation each, with no event loop, handed out by {@link #tryAcquireLane()}; the liveness thread
 * bounds their sleeps, and the channel closes them when it closes.
 * {@link #send} may be called from any thread; writes are serialized, so the outbound queue has a single
 * writer. A corrupt or truncated inbound frame closes the channel with {@code CORRUPT_FRAME}; an excerpt left
 * half-written by a dying writer is never read, and the liveness thread ends the wait.
 *
 * <p>Closing, for any reason, releases everything on the event-loop thread right after the handler's
 * {@code onClose}: the other side is told with a close frame (unless it is the one that left), the liveness
 * thread stops, the queues close, and the creating side deletes the directory. The attaching side announces
 * itself with a keepalive as it attaches and answers a close frame with its own; a creating side that closed
 * first waits for that answer (bounded by {@link ChronicleChannelBuilder#closeLinger}) before deleting the
 * directory, so frames sent just before a close are read, not deleted under the reader.
 */
public final class ChronicleChannel implements FrameChannel, HandlerExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleChannel.class);
    private static final byte[] NO_PAYLOAD = new byte[0];
    private static final long LIVENESS_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final ChannelDirectory directory;
    private final boolean creator;
    private final int maxFrameSize;
    private final long keepaliveNanos;
    private final long livenessTimeoutNanos;
    private final Duration closeTimeout;
    private final long closeLingerNanos;
    /** Read by the liveness thread; set at build time or later by {@link #watchProcess}. */
    private volatile WatchedProcess watched;

    private final SingleChronicleQueue outboundQueue;
    private final Object writeLock = new Object();
    /** Guarded by {@link #writeLock}. */
    private final ExcerptAppender appender;
    /** Guarded by {@link #writeLock}. */
    private boolean writerClosed;
    /** Frames written so far (data, keepalive, close); guarded by {@link #writeLock}. */
    private long framesWritten;

    /** The other side's doorbell, rung after each append while it sleeps; {@code null} without doorbells. */
    private final Doorbell outboundBell;
    private final InboundQueueReader inbound;
    private final FrameEventLoop loop;
    private final Thread livenessThread;
    private final AtomicBoolean released = new AtomicBoolean();
    private final CountDownLatch releasedLatch = new CountDownLatch(1);
    private volatile boolean running = true;
    /** This channel's lanes ({@link Lane}), made by the creator with the directory and opened by both sides at open. */
    private final List<Lane> lanes;
    /** Per lane, 1 while a conversation uses it (the creator hands them out); a closed lane stays taken. */
    private final AtomicIntegerArray lanesTaken;
    /** Set once the attaching side announced that it serves its lanes (it announces them all together). */
    private volatile boolean lanesServed;

    private ChronicleChannel(ChronicleChannelBuilder settings, ChannelDirectory directory, boolean creator,
                             FrameHandler handler, SingleChronicleQueue outbound, SingleChronicleQueue inboundQueue,
                             Doorbell inboundBell, Doorbell outboundBell, List<Lane> lanes) {
        this.name = settings.name();
        this.directory = directory;
        this.creator = creator;
        this.maxFrameSize = directory.maxFrameSize();
        this.keepaliveNanos = settings.keepaliveInterval().toNanos();
        this.livenessTimeoutNanos = settings.livenessTimeout().toNanos();
        this.closeTimeout = settings.closeTimeout();
        this.closeLingerNanos = settings.closeLinger().toNanos();
        this.watched = settings.watched();
        this.outboundQueue = outbound;
        this.appender = outbound.createAppender();
        // the appender is used by whichever thread holds writeLock
        this.appender.singleThreadedCheckDisabled(true);
        this.outboundBell = outboundBell;
        this.inbound = new InboundQueueReader(name, inboundQueue, maxFrameSize, inboundBell);
        this.loop = new FrameEventLoop(name, this, handler, settings.waitStrategy(), settings.ringSize(), inbound,
                this::release);
        this.livenessThread = new Thread(this::watchLiveness, "ipc-" + name + "-liveness");
        this.livenessThread.setDaemon(true);
        this.lanes = lanes;
        this.lanesTaken = new AtomicIntegerArray(lanes.size());
    }

    /**
     * This channel's lanes ({@link Lane}): the attaching side serves each on a thread of its own; the creating side
     * hands them out to conversations with {@link #tryAcquireLane()}. Empty for a channel without lanes.
     */
    public List<Lane> lanes() {
        return lanes;
    }

    /**
     * A lane for one conversation, exclusively, or {@code null} when every lane is taken, none is served yet
     * ({@link Lane#announceServed()}: a side that does not serve lanes is never sent anything on one), or the channel
     * has none: the conversation then goes through the channel. Among free lanes, the one at home on the CPU the caller
     * runs on comes first ({@link Lane#homeCpu()}), so that settling the caller there ({@link Lane#settleAtHome()})
     * rarely moves it (or costs a system call). Give it back with {@link #releaseLane} once no frame of the conversation can still arrive on it.
     * Thread-safe, lock-free.
     */
    public Lane tryAcquireLane() {
        if (lanes.isEmpty() || !lanesServed && !(lanesServed = lanes.get(0).isServed())) {
            return null;
        }
        int cpu = lanes.get(0).homeCpu() >= 0 ? CpuAffinity.currentCpu() : -1;
        if (cpu >= 0) {
            for (int i = 0; i < lanes.size(); i++) {
                if (lanes.get(i).homeCpu() == cpu && take(i)) {
                    return lanes.get(i);
                }
            }
        }
        for (int i = 0; i < lanes.size(); i++) {
            if (take(i)) {
                return lanes.get(i);
            }
        }
        return null;
    }

    private boolean take(int index) {
        return lanesTaken.get(index) == 0 && lanes.get(index).isOpen() && lanesTaken.compareAndSet(index, 0, 1);
    }

    /**
     * Gives back a lane taken with {@link #tryAcquireLane()}. Only after a conversation that ended cleanly: a lane whose
     * conversation was abandoned (a timeout, the answer may still come) must not be given back; it stays out of use
     * until the channel closes. A closed lane is never handed out again.
     */
    public void releaseLane(Lane lane) {
        int index = lanes.indexOf(lane);
        if (index >= 0 && lane.isOpen()) {
            lanesTaken.set(index, 0);
        }
    }

    /** Starts configuring a channel whose directory is {@code dir}. */
    public static ChronicleChannelBuilder builder(Path dir) {
        return new ChronicleChannelBuilder(dir);
    }

    static ChronicleChannel open(ChronicleChannelBuilder settings, ChannelDirectory directory, boolean creator,
                                 FrameHandler handler) {
        RollCycle rollCycle = RollCycleNames.parse(directory.rollCycle());
        long blockSize = blockSizeFor(directory.maxFrameSize());
        SingleChronicleQueue outbound = null;
        SingleChronicleQueue inbound = null;
        Doorbell inboundBell = null;
        Doorbell outboundBell = null;
        List<Lane> lanes = new ArrayList<>();
        try {
            if (directory.hasDoorbells()) {
                inboundBell = Doorbell.open(directory.path(), creator);
                outboundBell = Doorbell.open(directory.path(), !creator);
            }
            Path outPath = creator ? directory.creatorToAttacher() : directory.attacherToCreator();
            Path inPath = creator ? directory.attacherToCreator() : directory.creatorToAttacher();
            outbound = SingleChronicleQueueBuilder.binary(outPath).rollCycle(rollCycle).blockSize(blockSize).build();
            inbound = SingleChronicleQueueBuilder.binary(inPath).rollCycle(rollCycle).blockSize(blockSize).build();
            for (int i = 0; i < directory.lanes(); i++) {
                Path laneDir = Lane.directory(directory.path(), i);
                String laneName = settings.name() + "-lane-" + i;
                lanes.add(Lane.open(laneDir, laneName, creator, directory.laneCpu(i), directory.maxFrameSize(), rollCycle,
                        settings.waitStrategy()));
            }
            ChronicleChannel channel = new ChronicleChannel(settings, directory, creator, handler, outbound, inbound,
                    inboundBell, outboundBell, List.copyOf(lanes));
            channel.start();
            return channel;
        } catch (RuntimeException | Error e) {
            lanes.forEach(Lane::close);
            if (inboundBell != null) {
                inboundBell.close();
            }
            if (outboundBell != null) {
                outboundBell.close();
            }
            if (inbound != null) {
                inbound.close();
            }
            if (outbound != null) {
                outbound.close();
            }
            if (creator) {
                directory.delete();
            }
            throw e;
        }
    }

    /**
     * Chronicle refuses an excerpt above about a quarter of the block size, so the block is the next power of
     * two above four frames; the files are sparse, so only what is written takes disk space.
     */
    static long blockSizeFor(int maxFrameSize) {
        long needed = 4L * (maxFrameSize + FrameCodec.HEADER_SIZE + 64);
        return Math.max(1L << 20, Long.highestOneBit(needed - 1) << 1);
    }

    private void start() {
        if (!creator) {
            // tells the creator someone is attached: it then waits for this side's answer when it closes first
            write(FrameKind.KEEPALIVE, NO_PAYLOAD);
        }
        loop.start();
        livenessThread.start();
        LOG.debug("channel {} {} at {}", name, creator ? "created" : "attached", directory.path());
    }

    /** The channel directory; pass it to the process that attaches. */
    public Path directory() {
        return directory.path();
    }

    /** The maximum frame size in force (the creating side's). */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Starts watching the other side's process (replacing any earlier one): its exit closes the channel with
     * {@code REMOTE_PROCESS_EXITED} within about 100 ms, after the frames it wrote before dying have been
     * delivered. For the usual order of things on the peer: create the channel, launch the process with the
     * directory's path, then watch it.
     */
    public void watchProcess(ProcessHandle process) {
        this.watched = WatchedProcess.of(Objects.requireNonNull(process, "process"));
    }

    /** As {@link #watchProcess(ProcessHandle)}, and the close reason carries the exit status. */
    public void watchProcess(Process process) {
        this.watched = WatchedProcess.of(Objects.requireNonNull(process, "process"));
    }

    @Override
    public void send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length > maxFrameSize) {
            throw new FrameTooLargeException(name, frame.length, maxFrameSize);
        }
        CloseReason closed = loop.closeReason();
        if (closed != null) {
            throw new ChannelClosedException(name, closed);
        }
        if (!write(FrameKind.DATA, frame)) {
            closed = loop.closeReason();
            throw new ChannelClosedException(name, closed != null ? closed : localClose());
        }
    }

    /** Appends one frame; {@code false} if the writer is closed. An I/O failure closes the channel. */
    private boolean write(FrameKind kind, byte[] payload) {
        synchronized (writeLock) {
            if (writerClosed) {
                return false;
            }
            try (DocumentContext dc = appender.writingDocument()) {
                try {
                    FrameCodec.write(dc.wire().bytes(), kind, payload);
                } catch (RuntimeException e) {
                    dc.rollbackOnClose();
                    throw e;
                }
            } catch (RuntimeException e) {
                LOG.error("channel {}: writing to {} failed", name, outboundQueue.fileAbsolutePath(), e);
                writerClosed = true;
                loop.closeNow(new CloseReason(CloseReason.Kind.IO_ERROR,
                        "writing to " + outboundQueue.fileAbsolutePath() + " failed: " + e));
                return false;
            }
            framesWritten++;
            if (outboundBell != null) {
                // after the append (Chronicle's release store), with a fence: see Doorbell
                outboundBell.ringIfSleeping();
            }
            return true;
        }
    }

    @Override
    public boolean isOpen() {
        return loop.isOpen();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Runs {@code task} on this end's event-loop thread, the handler's; see {@link HandlerExecutor} for the
     * ordering with frames.
     *
     * @throws RejectedExecutionException if the channel is closed or closing
     */
    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public boolean inHandlerThread() {
        return loop.isEventThread();
    }

    /** {@code true} with doorbells: the idle event-loop thread sleeps on its bell, which the other side rings. */
    @Override
    public boolean wakesOnInput() {
        return loop.wakesOnInput();
    }

    /**
     * With doorbells, writes the hint into the word both processes map next to the doorbells, so that both ends' event
     * loops see it; without, nothing (no loop sleeps on a bell).
     */
    @Override
    public void coresSaturated(boolean saturated) {
        if (outboundBell != null) {
            outboundBell.coresSaturated(saturated);
        }
    }

    @Override
    public boolean coresSaturated() {
        return outboundBell != null && outboundBell.coresSaturated();
    }

    /** Whether this end's event-loop thread sleeps on its doorbell (or is about to); for tests. */
    boolean asleepOnBell() {
        return loop.isAsleepOnBell();
    }

    /**
     * With doorbells, nothing: an idle event-loop thread sleeps on its bell as the inbound queue's reader (a returned
     * lease makes it the reader again), so the other side's next frame wakes it at once. Without, an empty task (see
     * {@link HandlerExecutor#hurry()}).
     */
    @Override
    public void hurry() {
        if (!loop.wakesOnInput()) {
            HandlerExecutor.super.hurry();
        }
    }

    /**
     * Lets the calling thread read the inbound queue itself until it closes the lease (see {@link InboundLease}):
     * framing checks, keepalives, the other side's close and cycle-file reclaiming work as on the event-loop thread.
     */
    @Override
    public InboundLease tryLeaseInbound() {
        return loop.tryLease();
    }

    /**
     * Closes this end: the handler sees {@code onClose(LOCAL_CLOSE)} (frames not yet delivered are dropped),
     * the other side gets a close frame, every thread stops, the queues close and the creating side deletes
     * the directory. Idempotent; returns once all that is done (from the event-loop thread: as soon as the
     * handler returns).
     */
    @Override
    public void close() {
        loop.closeNow(localClose());
        if (loop.isEventThread()) {
            return;
        }
        try {
            if (!releasedLatch.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("channel {}: handler still busy on the event-loop thread {} after close; releasing anyway",
                        name, closeTimeout);
                release();
            }
            if (!loop.awaitTermination(closeTimeout)) {
                LOG.warn("channel {}: event-loop thread did not end within {}", name, closeTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release();
        }
    }

    private static CloseReason localClose() {
        return new CloseReason(CloseReason.Kind.LOCAL_CLOSE, "closed by its owner");
    }

    // ---- liveness thread -----------------------------------------------------------------------------

    /**
     * Every tick (100 ms, or the keepalive interval if shorter): a keepalive if nothing was written for a
     * keepalive interval; the end of the channel if the watched process exited (in order: the event-loop
     * thread first reads what it wrote) or if the other side was silent for the liveness timeout. Silence is
     * counted only while the event-loop thread waits for input: a handler busy for longer than the timeout is
     * not reading, so it cannot tell whether keepalives arrived.
     */
    private void watchLiveness() {
        long tick = Math.min(keepaliveNanos, LIVENESS_TICK_NANOS);
        long seenWritten = 0;
        long quietNanos = 0;
        long seenRead = 0;
        long silentNanos = 0;
        long unrungNanos = 0;
        long laneNetNanos = 0;
        long last = System.nanoTime();
        while (running) {
            LockSupport.parkNanos(this, tick);
            if (!running) {
                return;
            }
            long now = System.nanoTime();
            long elapsed = now - last;
            last = now;

            long written = framesWritten();
            if (written != seenWritten) {
                seenWritten = written;
                quietNanos = 0;
            } else if ((quietNanos += elapsed) >= keepaliveNanos) {
                write(FrameKind.KEEPALIVE, NO_PAYLOAD);
                quietNanos = 0;
            }

            boolean laneNet = (laneNetNanos += elapsed) >= keepaliveNanos;
            if (laneNet) {
                laneNetNanos = 0;
            }
            for (Lane lane : lanes) {
                lane.tick(now, laneNet);
            }

            if (loop.wakesOnInput() && (unrungNanos += elapsed) >= keepaliveNanos) {
                // a safety net, once per keepalive interval: an event-loop thread asleep on its doorbell looks at its
                // queue even if a ring never came (a writer that does not ring, a FIFO that does not cross a
                // container boundary), so such a fault costs latency, never a hang; a thread awake is not disturbed
                unrungNanos = 0;
                loop.wake();
            }

            WatchedProcess other = watched;
            if (other != null && !other.isAlive()) {
                CloseReason gone = new CloseReason(CloseReason.Kind.REMOTE_PROCESS_EXITED, other.describeExit());
                LOG.info("channel {}: {}", name, gone.message());
                inbound.otherSideGone(gone);
                loop.wake();
                return;
            }

            long read = inbound.excerptsRead();
            if (read != seenRead) {
                seenRead = read;
                silentNanos = 0;
            } else if ((read > 0 || !creator) && loop.isAwaitingInput() && (silentNanos += elapsed) > livenessTimeoutNanos) {
                loop.closeNow(new CloseReason(CloseReason.Kind.KEEPALIVE_TIMEOUT, "nothing heard from the other side for "
                        + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms (liveness timeout "
                        + TimeUnit.NANOSECONDS.toMillis(livenessTimeoutNanos) + " ms)"));
                return;
            }
        }
    }

    private long framesWritten() {
        synchronized (writeLock) {
            return framesWritten;
        }
    }

    // ---- release ---------------------------------------------------------------------------------------

    /**
     * Releases the transport, once: runs on the event-loop thread right after {@code onClose}, or on a closing
     * thread that gave up waiting for a stuck handler.
     */
    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        // wakes the lanes' sleeping owners, who then learn that the channel is gone
        lanes.forEach(Lane::close);
        try {
            running = false;
            LockSupport.unpark(livenessThread);
            CloseReason reason = loop.closeReason();
            CloseReason.Kind kind = reason != null ? reason.kind() : CloseReason.Kind.LOCAL_CLOSE;
            // the creator's close frame is answered by the attacher's (the acknowledgement the creator lingers for)
            boolean tell = kind != CloseReason.Kind.REMOTE_PROCESS_EXITED
                    && !(creator && kind == CloseReason.Kind.REMOTE_CLOSE);
            if (tell) {
                write(FrameKind.CLOSE, NO_PAYLOAD);
            }
            if (creator && (kind == CloseReason.Kind.LOCAL_CLOSE || kind == CloseReason.Kind.HANDLER_FAILED)
                    && loop.isEventThread()
                    && !inbound.awaitOtherSideClose(closeLingerNanos, this::otherSideMayBeAlive)) {
                LOG.debug("channel {}: no close acknowledgement from the other side; deleting the directory anyway", name);
            }
            join(livenessThread);
            synchronized (writeLock) {
                writerClosed = true;
                appender.close();
                if (outboundBell != null) {
                    outboundBell.close();
                }
            }
            outboundQueue.close();
            if (loop.isEventThread()) {
                inbound.close();
            } else {
                LOG.error("channel {}: the handler is still busy on the event-loop thread after {}; its inbound queue "
                        + "is closed when that thread ends", name, closeTimeout);
            }
            if (creator) {
                directory.delete();
            }
            LOG.debug("channel {} released ({})", name, reason);
        } catch (RuntimeException | Error e) {
            LOG.warn("channel {}: releasing failed", name, e);
        } finally {
            releasedLatch.countDown();
        }
    }

    private boolean otherSideMayBeAlive() {
        WatchedProcess other = watched;
        return other == null || other.isAlive();
    }

    private boolean join(Thread thread) {
        if (thread == Thread.currentThread() || thread.getState() == Thread.State.NEW) {
            return true;
        }
        try {
            thread.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public String toString() {
        return "ChronicleChannel[" + name + ", " + directory.path() + (isOpen() ? ", open]" : ", " + loop.closeReason() + "]");
    }
}
