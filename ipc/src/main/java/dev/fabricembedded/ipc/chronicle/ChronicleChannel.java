package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.loop.FrameEventLoop;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
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
 * <p>Threads of one end, all named after the channel and all stopped by {@link #close()}:
 * <ul>
 *   <li>{@code ipc-<name>-tailer} reads the inbound queue, checks each frame's framing
 *       ({@link FrameCodec}) and publishes data frames into the event loop's ring, waiting while it is full
 *       (nothing is dropped);</li>
 *   <li>{@code ipc-<name>-events} calls the {@link FrameHandler}, which it owns ({@link FrameEventLoop});</li>
 *   <li>{@code ipc-<name>-liveness} sends a keepalive after a quiet keepalive interval, and notices that the
 *       other side is gone: its watched process exited, or nothing arrived for the liveness timeout.</li>
 * </ul>
 * {@link #send} may be called from any thread; writes are serialized, so the outbound queue has a single
 * writer. A corrupt or truncated inbound frame closes the channel with {@code CORRUPT_FRAME}; an excerpt left
 * half-written by a dying writer is never read, and the liveness thread ends the wait.
 *
 * <p>Closing, for any reason, releases everything on the event-loop thread right after the handler's
 * {@code onClose}: the other side is told with a close frame (unless it is the one that left), the threads
 * stop, the queues close, and the creating side deletes the directory. The tailer deletes each roll-cycle
 * file once it has read past it, so a long-lived channel does not grow on disk.
 */
public final class ChronicleChannel implements FrameChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleChannel.class);
    private static final byte[] NO_PAYLOAD = new byte[0];
    private static final long LIVENESS_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final ChannelDirectory directory;
    private final boolean creator;
    private final int maxFrameSize;
    private final WaitStrategy waitStrategy;
    private final long keepaliveNanos;
    private final long livenessTimeoutNanos;
    private final Duration closeTimeout;
    /** Read by the liveness thread; set at build time or later by {@link #watchProcess}. */
    private volatile WatchedProcess watched;

    private final SingleChronicleQueue outboundQueue;
    private final SingleChronicleQueue inboundQueue;
    private final Object writeLock = new Object();
    /** Guarded by {@link #writeLock}. */
    private final ExcerptAppender appender;
    /** Guarded by {@link #writeLock}. */
    private boolean writerClosed;

    private final FrameEventLoop loop;
    private final Thread tailerThread;
    private final Thread livenessThread;
    private final AtomicBoolean released = new AtomicBoolean();
    private final CountDownLatch releasedLatch = new CountDownLatch(1);

    private volatile boolean running = true;
    private volatile long lastSentNanos;
    private volatile long lastHeardNanos;
    private volatile boolean heard;
    private volatile boolean tailerPublishing;
    /** Set by the liveness thread when the watched process exited; the tailer drains, then closes with it. */
    private volatile CloseReason remoteGone;

    private ChronicleChannel(ChronicleChannelBuilder settings, ChannelDirectory directory, boolean creator,
                             FrameHandler handler, SingleChronicleQueue outbound, SingleChronicleQueue inbound) {
        this.name = settings.name();
        this.directory = directory;
        this.creator = creator;
        this.maxFrameSize = directory.maxFrameSize();
        this.waitStrategy = settings.waitStrategy();
        this.keepaliveNanos = settings.keepaliveInterval().toNanos();
        this.livenessTimeoutNanos = settings.livenessTimeout().toNanos();
        this.closeTimeout = settings.closeTimeout();
        this.watched = settings.watched();
        this.outboundQueue = outbound;
        this.inboundQueue = inbound;
        this.appender = outbound.createAppender();
        // the appender is used by whichever thread holds writeLock
        this.appender.singleThreadedCheckDisabled(true);
        this.loop = new FrameEventLoop(name, this, handler, waitStrategy, settings.ringSize(), this::release);
        this.tailerThread = new Thread(this::tail, "ipc-" + name + "-tailer");
        this.tailerThread.setDaemon(true);
        this.livenessThread = new Thread(this::watchLiveness, "ipc-" + name + "-liveness");
        this.livenessThread.setDaemon(true);
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
        try {
            Path outPath = creator ? directory.creatorToAttacher() : directory.attacherToCreator();
            Path inPath = creator ? directory.attacherToCreator() : directory.creatorToAttacher();
            outbound = SingleChronicleQueueBuilder.binary(outPath).rollCycle(rollCycle).blockSize(blockSize).build();
            inbound = SingleChronicleQueueBuilder.binary(inPath).rollCycle(rollCycle).blockSize(blockSize).build();
            ChronicleChannel channel = new ChronicleChannel(settings, directory, creator, handler, outbound, inbound);
            channel.start();
            return channel;
        } catch (RuntimeException | Error e) {
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
        long now = System.nanoTime();
        lastSentNanos = now;
        lastHeardNanos = now;
        loop.start();
        tailerThread.start();
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
            lastSentNanos = System.nanoTime();
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

    // ---- tailer thread -------------------------------------------------------------------------------

    private void tail() {
        ExcerptTailer tailer = inboundQueue.createTailer();
        byte[][] payload = new byte[1][];
        int idleCount = 0;
        int readCycle = Integer.MIN_VALUE;
        File readFile = null;
        try {
            while (running) {
                FrameKind kind = null;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent() && dc.isData()) {
                        try {
                            kind = FrameCodec.read(dc.wire().bytes(), maxFrameSize, payload);
                        } catch (CorruptFrameException e) {
                            String where = " in " + inboundQueue.fileAbsolutePath() + " at index 0x"
                                    + Long.toHexString(dc.index());
                            LOG.error("channel {}: {}{}; closing", name, e.getMessage(), where);
                            loop.closeNow(new CloseReason(CloseReason.Kind.CORRUPT_FRAME, e.getMessage() + where));
                            return;
                        }
                    }
                }
                if (kind == null) {
                    CloseReason gone = remoteGone;
                    if (gone != null) {
                        // the other process is dead and everything it wrote has been read
                        loop.closeOrdered(gone);
                        return;
                    }
                    waitStrategy.idle(idleCount);
                    if (idleCount < Integer.MAX_VALUE) {
                        idleCount++;
                    }
                    continue;
                }
                idleCount = 0;
                lastHeardNanos = System.nanoTime();
                heard = true;
                int cycle = tailer.cycle();
                if (cycle != readCycle) {
                    readCycle = cycle;
                    readFile = reclaim(readFile, tailer.currentFile());
                }
                if (kind == FrameKind.DATA) {
                    tailerPublishing = true;
                    boolean accepted = loop.publish(payload[0]);
                    tailerPublishing = false;
                    payload[0] = null;
                    if (!accepted) {
                        return;
                    }
                } else if (kind == FrameKind.CLOSE) {
                    loop.closeOrdered(new CloseReason(CloseReason.Kind.REMOTE_CLOSE, "the other side closed the channel"));
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                LOG.error("channel {}: reading {} failed", name, inboundQueue.fileAbsolutePath(), e);
                loop.closeNow(new CloseReason(CloseReason.Kind.IO_ERROR,
                        "reading " + inboundQueue.fileAbsolutePath() + " failed: " + e));
            }
        } finally {
            tailer.close();
        }
    }

    /**
     * Deletes the inbound cycle file the tailer has just left: the writer rolled to a newer one before the
     * tailer could move on, and Chronicle never deletes queue files, so without this a long-lived channel
     * would keep every file it ever wrote. Unlinking a file still mapped is fine on Linux and macOS.
     *
     * @return the file now being read
     */
    private File reclaim(File left, File current) {
        if (left != null && !left.equals(current)) {
            if (left.delete()) {
                LOG.debug("channel {}: deleted read cycle file {}", name, left);
            } else {
                LOG.warn("channel {}: could not delete read cycle file {}", name, left);
            }
        }
        return current;
    }

    // ---- liveness thread -----------------------------------------------------------------------------

    private void watchLiveness() {
        long tick = Math.min(keepaliveNanos, LIVENESS_TICK_NANOS);
        while (running) {
            LockSupport.parkNanos(this, tick);
            if (!running) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastSentNanos >= keepaliveNanos) {
                write(FrameKind.KEEPALIVE, NO_PAYLOAD);
            }
            WatchedProcess other = watched;
            if (other != null && !other.isAlive()) {
                remoteGone = new CloseReason(CloseReason.Kind.REMOTE_PROCESS_EXITED, other.describeExit());
                LOG.info("channel {}: {}", name, remoteGone.message());
                return;
            }
            long silent = now - lastHeardNanos;
            if (heard && !tailerPublishing && silent > livenessTimeoutNanos) {
                loop.closeNow(new CloseReason(CloseReason.Kind.KEEPALIVE_TIMEOUT, "nothing heard from the other side for "
                        + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (liveness timeout "
                        + TimeUnit.NANOSECONDS.toMillis(livenessTimeoutNanos) + " ms)"));
                return;
            }
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
        try {
            running = false;
            LockSupport.unpark(livenessThread);
            CloseReason reason = loop.closeReason();
            boolean otherSideLeft = reason != null && (reason.kind() == CloseReason.Kind.REMOTE_CLOSE
                    || reason.kind() == CloseReason.Kind.REMOTE_PROCESS_EXITED);
            if (!otherSideLeft) {
                write(FrameKind.CLOSE, NO_PAYLOAD);
            }
            boolean tailerStopped = join(tailerThread);
            join(livenessThread);
            synchronized (writeLock) {
                writerClosed = true;
                appender.close();
            }
            outboundQueue.close();
            if (tailerStopped) {
                inboundQueue.close();
            } else {
                LOG.error("channel {}: tailer thread did not stop within {}; leaving its queue open", name, closeTimeout);
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
