package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.loop.FrameEventLoop;
import dev.fabricembedded.ipc.loop.FrameSource;
import dev.fabricembedded.ipc.loop.SourceBell;
import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a channel end's inbound queue on its event-loop thread: checks each excerpt's framing
 * ({@link FrameCodec}), hands data frames to the loop, consumes keepalives, turns a close frame into an ordered
 * {@code REMOTE_CLOSE} and a bad frame into {@code CORRUPT_FRAME}, and deletes each cycle file once it has
 * read past it (Chronicle never deletes queue files, so without this a long-lived channel would keep every
 * file it ever wrote).
 *
 * <p>Thread ownership: the tailer, the cycle bookkeeping and the queue belong to the current reader: the event-loop
 * thread, or a thread holding the channel's inbound lease ({@link FrameEventLoop#tryLease}), which hands them over
 * with a happens-before edge (see {@link dev.fabricembedded.ipc.loop.FrameSource}). The tailer is created by the
 * first reader, its single-thread check is reset whenever the reading thread changes (so Chronicle still catches
 * any concurrent use), and the event-loop thread closes everything when it ends, once no lease is held. Two things cross threads: the
 * count of excerpts read (for the liveness thread, which measures silence with it) and
 * {@link #otherSideGone}, set by the liveness thread when the other process exited.
 */
final class InboundQueueReader implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(InboundQueueReader.class);
    private static final long LINGER_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final String name;
    private final SingleChronicleQueue queue;
    private final int maxFrameSize;
    private final AtomicLong excerptsRead = new AtomicLong();
    /** The doorbell the other side rings after writing, or {@code null}; closed with the queue. */
    private final Doorbell bell;
    /** Set by the liveness thread when the other process exited; acted upon once the queue is drained. */
    private volatile CloseReason otherSideGone;

    // ---- owned by the event-loop thread ----
    private final byte[][] payload = new byte[1][];
    private ExcerptTailer tailer;
    /** The thread that used {@link #tailer} last. */
    private Thread tailerThread;
    private long read;
    private int readCycle = Integer.MIN_VALUE;
    private File readFile;
    private boolean ended;
    private boolean closeFrameRead;
    private boolean closed;

    InboundQueueReader(String name, SingleChronicleQueue queue, int maxFrameSize, Doorbell bell) {
        this.name = name;
        this.queue = queue;
        this.maxFrameSize = maxFrameSize;
        this.bell = bell;
    }

    @Override
    public SourceBell bell() {
        return bell;
    }

    /** Excerpts read so far (data, keepalive and close frames): grows while the other side is heard from. */
    long excerptsRead() {
        return excerptsRead.get();
    }

    /**
     * The other side's process is gone: once everything it wrote has been read, the loop closes in order
     * with {@code reason}. The caller wakes the loop so that it notices promptly.
     */
    void otherSideGone(CloseReason reason) {
        this.otherSideGone = reason;
    }

    @Override
    public byte[] poll(FrameEventLoop loop) {
        if (ended) {
            return null;
        }
        try {
            ExcerptTailer reading = tailer();
            while (true) {
                FrameKind kind;
                try {
                    kind = readFrame(reading, queue, maxFrameSize, payload);
                } catch (CorruptFrameException e) {
                    LOG.error("channel {}: {}; closing", name, e.getMessage());
                    ended = true;
                    loop.closeNow(new CloseReason(CloseReason.Kind.CORRUPT_FRAME, e.getMessage()));
                    return null;
                }
                if (kind == null) {
                    break;
                }
                excerptsRead.lazySet(++read);
                int cycle = reading.cycle();
                if (cycle != readCycle) {
                    readCycle = cycle;
                    readFile = reclaim(name, readFile, reading.currentFile());
                }
                if (kind == FrameKind.DATA) {
                    byte[] frame = payload[0];
                    payload[0] = null;
                    return frame;
                }
                if (kind == FrameKind.CLOSE) {
                    ended = true;
                    closeFrameRead = true;
                    loop.closeOrdered(new CloseReason(CloseReason.Kind.REMOTE_CLOSE, "the other side closed the channel"));
                    return null;
                }
                // a keepalive: proof of life, counted above; read on
            }
            CloseReason gone = otherSideGone;
            if (gone != null) {
                // the other process is dead and everything it wrote has been read
                ended = true;
                loop.closeOrdered(gone);
            }
            return null;
        } catch (RuntimeException | Error e) {
            ended = true;
            LOG.error("channel {}: reading {} failed", name, queue.fileAbsolutePath(), e);
            loop.closeNow(new CloseReason(CloseReason.Kind.IO_ERROR,
                    "reading " + queue.fileAbsolutePath() + " failed: " + e));
            return null;
        }
    }

    /**
     * Reads the next frame of {@code queue} through {@code tailer}, skipping Chronicle's metadata excerpts: its kind,
     * the payload of a {@link FrameKind#DATA} frame in {@code payload[0]}, or {@code null} when nothing is there yet.
     * The one framing read of a channel's inbound queue and of a {@link Lane}'s.
     *
     * @throws CorruptFrameException naming what is wrong and where (the queue file and the excerpt's index)
     */
    static FrameKind readFrame(ExcerptTailer tailer, SingleChronicleQueue queue, int maxFrameSize, byte[][] payload)
            throws CorruptFrameException {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                if (!dc.isData()) {
                    continue;
                }
                try {
                    return FrameCodec.read(dc.wire().bytes(), maxFrameSize, payload);
                } catch (CorruptFrameException e) {
                    throw new CorruptFrameException(e.getMessage() + " in " + queue.fileAbsolutePath() + " at index 0x"
                            + Long.toHexString(dc.index()));
                }
            }
        }
    }

    /**
     * For a creating side that closed first: reads on, discarding whatever still arrives, until the other
     * side's close frame, its acknowledgement that it has read everything before this side's close. Gives up
     * after {@code timeoutNanos}, when {@code otherSideAlive} turns false, when this reader already ended (a
     * corrupt frame or a read failure), or at once when nothing was ever written (nobody attached).
     *
     * @return {@code true} if the other side's close frame was read
     */
    boolean awaitOtherSideClose(long timeoutNanos, BooleanSupplier otherSideAlive) {
        if (closeFrameRead) {
            return true;
        }
        if (ended || closed) {
            return false;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            ExcerptTailer reading = tailer();
            while (true) {
                boolean present;
                try (DocumentContext dc = reading.readingDocument()) {
                    present = dc.isPresent();
                    if (present && dc.isData()) {
                        read++;
                        if (FrameCodec.read(dc.wire().bytes(), maxFrameSize, payload) == FrameKind.CLOSE) {
                            closeFrameRead = true;
                        }
                        payload[0] = null;
                    }
                }
                if (closeFrameRead) {
                    return true;
                }
                if (present) {
                    continue;
                }
                if (read == 0 || !otherSideAlive.getAsBoolean() || System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(LINGER_POLL_NANOS);
            }
        } catch (CorruptFrameException | RuntimeException e) {
            LOG.debug("channel {}: stopped waiting for the other side's close: {}", name, e.toString());
            return false;
        } finally {
            ended = true;
        }
    }

    /** The tailer, created on first use, its single-thread check moved to the calling thread if it changed. */
    private ExcerptTailer tailer() {
        Thread current = Thread.currentThread();
        if (tailer == null) {
            tailer = queue.createTailer();
        } else if (tailerThread != current) {
            tailer.singleThreadedCheckReset();
        }
        tailerThread = current;
        return tailer;
    }

    /**
     * Deletes the inbound cycle file just left behind: the writer rolled to a newer one. Unlinking a file still
     * mapped is fine on Linux and macOS.
     *
     * @return the file now being read
     */
    static File reclaim(String name, File left, File current) {
        if (left != null && !left.equals(current)) {
            if (left.delete()) {
                LOG.debug("channel {}: deleted read cycle file {}", name, left);
            } else {
                LOG.warn("channel {}: could not delete read cycle file {}", name, left);
            }
        }
        return current;
    }

    /** Closes the tailer, the inbound queue and the doorbell; on the event-loop thread, idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ended = true;
        try {
            if (tailer != null) {
                tailer().close();
            }
        } finally {
            try {
                queue.close();
            } finally {
                if (bell != null) {
                    bell.close();
                }
            }
        }
    }
}
