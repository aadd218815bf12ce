package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.loop.SourceBell;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The doorbell of one direction of a channel: a FIFO in the channel directory, which the reading end blocks on, and
 * one word in the directory's shared state file saying whether that reader announced that it sleeps. Both ends open
 * it: the reading end as its {@link SourceBell}, the writing end to {@link #ringIfSleeping()} after each append.
 *
 * <p>Why a FIFO and a mapped word: a frame written into a memory-mapped queue by another process wakes nobody, so
 * without a kernel object to block on, every waiter polls (spins, yields, or parks for a bounded time), which on a
 * small machine takes the cores from the threads doing the work. A FIFO is the simplest such object two JVMs (or a
 * JVM and a container with the directory bind-mounted) can share by path; the word keeps the writer's fast path free
 * of system calls: it writes a byte only when the reader announced that it sleeps, and only the writer whose
 * compare-and-set takes the word from {@code SLEEPING} to {@code AWAKE} writes (one byte per sleep, so the FIFO never
 * fills). Both ends open the FIFO for reading and writing: on Linux that never blocks and the reader never sees an
 * end of file, whichever side comes and goes. The word is read and written with {@code VarHandle} volatile and
 * compare-and-set accesses on the mapped buffer, which are atomic between processes sharing the page (x86-64,
 * aarch64).
 *
 * <p>Threads: {@link #await()} is called by the reading end's event-loop thread only, which also closes the reading
 * end's bell when it ends; {@link #ring()} and {@link #ringIfSleeping()} by any thread, serialized with
 * {@link #close()} by a lock, so no byte is ever written to a closed (possibly reused) descriptor.
 */
final class Doorbell implements SourceBell, Closeable {

    /**
     * The shared state file: one word per direction, a cache line apart, and the channel's saturation hint (see
     * {@link dev.fabricembedded.ipc.HandlerExecutor#coresSaturated()}) on a third line.
     */
    static final String STATE_FILE = "doorbells";
    static final String CREATOR_FIFO = "creator.bell";
    static final String ATTACHER_FIFO = "attacher.bell";
    /** Word offsets in {@link #STATE_FILE}: the creator's inbound bell, the attacher's. */
    static final int CREATOR_WORD = 0;
    static final int ATTACHER_WORD = 64;
    /** Offset of the saturation hint, one word for the whole channel (both bells of both sides map it). */
    static final int SATURATION_WORD = 128;
    static final int STATE_FILE_SIZE = 192;

    private static final long AWAKE = 0;
    private static final long SLEEPING = 1;
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final Logger LOG = LoggerFactory.getLogger(Doorbell.class);
    private static final long MKFIFO_TIMEOUT_SECONDS = 10;

    private final Path fifo;
    private final RandomAccessFile file;
    private final MappedByteBuffer words;
    private final int offset;
    /** Rings drained per wake-up; only the event-loop thread uses it. */
    private final byte[] drain = new byte[64];
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private Doorbell(Path fifo, RandomAccessFile file, MappedByteBuffer words, int offset) {
        this.fifo = fifo;
        this.file = file;
        this.words = words;
        this.offset = offset;
    }

    /**
     * Creates both FIFOs and the zeroed state file in a new channel directory and in each of {@code more} (its lanes'
     * directories, which must exist), with one run of the {@code mkfifo} program for all of them (Java cannot make a
     * FIFO, and a process start costs milliseconds).
     *
     * @return {@code false}, logged, if the FIFOs cannot be made here (no {@code mkfifo}, a file system without
     *         FIFOs); the channel then works without doorbells (and lanes), by polling
     */
    static boolean createFiles(Path dir, Path... more) {
        try {
            List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
            List<Path> dirs = new ArrayList<>(List.of(dir));
            dirs.addAll(List.of(more));
            for (Path d : dirs) {
                command.add(d.resolve(CREATOR_FIFO).toString());
                command.add(d.resolve(ATTACHER_FIFO).toString());
            }
            Process mkfifo = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(mkfifo.getInputStream().readAllBytes()).trim();
            if (!mkfifo.waitFor(MKFIFO_TIMEOUT_SECONDS, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                mkfifo.destroyForcibly();
                LOG.warn("channel directory {}: mkfifo failed ({}); the channel works without doorbells, its waiting "
                        + "threads poll", dir, output);
                return false;
            }
            for (Path d : dirs) {
                try (RandomAccessFile state = new RandomAccessFile(d.resolve(STATE_FILE).toFile(), "rw")) {
                    state.setLength(STATE_FILE_SIZE);
                }
            }
            return true;
        } catch (IOException e) {
            LOG.warn("channel directory {}: cannot create doorbells ({}); the channel works without them, its waiting "
                    + "threads poll", dir, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("channel directory {}: interrupted while creating doorbells; the channel works without them", dir);
            return false;
        }
    }

    /**
     * Opens the bell of one direction.
     *
     * @param creatorReads {@code true} for the bell the creating side reads (rung by the attacher)
     * @throws UncheckedIOException if the files are missing or cannot be opened
     */
    static Doorbell open(Path dir, boolean creatorReads) {
        Path fifo = dir.resolve(creatorReads ? CREATOR_FIFO : ATTACHER_FIFO);
        if (!Files.exists(fifo) || Files.isRegularFile(fifo) || Files.isDirectory(fifo)) {
            throw new UncheckedIOException(new IOException("channel directory " + dir + " announces doorbells, but "
                    + fifo + " is missing or not a FIFO"));
        }
        RandomAccessFile file = null;
        try (FileChannel state = FileChannel.open(dir.resolve(STATE_FILE), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer words = state.map(FileChannel.MapMode.READ_WRITE, 0, STATE_FILE_SIZE);
            // "rw" opens with O_RDWR: never blocks on a FIFO, and the reader never sees an end of file
            file = new RandomAccessFile(fifo.toFile(), "rw");
            return new Doorbell(fifo, file, words, creatorReads ? CREATOR_WORD : ATTACHER_WORD);
        } catch (IOException e) {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot open the doorbell " + fifo + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void announceSleep() {
        WORD.setVolatile(words, offset, SLEEPING);
        VarHandle.fullFence();
    }

    @Override
    public void withdrawSleep() {
        if ((long) WORD.getVolatile(words, offset) == SLEEPING) {
            WORD.compareAndSet(words, offset, SLEEPING, AWAKE);
        }
    }

    /**
     * The channel's saturation hint, written by either side (in practice the peer's, which knows how many proposals are
     * in flight) and read by both sides' event loops: {@code true} while the machine's cores are all busy with work, so
     * that an idle loop sleeps on its bell at once instead of polling first. A plain volatile word: a stale value costs
     * latency or CPU for a moment, never correctness.
     */
    void coresSaturated(boolean saturated) {
        long value = saturated ? 1 : 0;
        if ((long) WORD.getOpaque(words, SATURATION_WORD) != value) {
            WORD.setVolatile(words, SATURATION_WORD, value);
        }
    }

    @Override
    public boolean coresSaturated() {
        return (long) WORD.getOpaque(words, SATURATION_WORD) != 0;
    }

    @Override
    public boolean sleepAnnounced() {
        return (long) WORD.getVolatile(words, offset) == SLEEPING;
    }

    /**
     * The writer's side, after appending a frame to the queue this bell's reader reads: rings if the reader announced
     * that it sleeps and no one else rang since. A fence first, so that the append is visible before the word is read.
     */
    void ringIfSleeping() {
        VarHandle.fullFence();
        if ((long) WORD.getVolatile(words, offset) == SLEEPING && WORD.compareAndSet(words, offset, SLEEPING, AWAKE)) {
            ring();
        }
    }

    @Override
    public void await() {
        try {
            file.read(drain);
        } catch (IOException e) {
            // closed under the reader (only at the very end) or broken: the caller re-checks its sources either way
            LOG.debug("doorbell {}: read failed: {}", fifo, e.toString());
        } finally {
            WORD.setVolatile(words, offset, AWAKE);
        }
    }

    @Override
    public void ring() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                file.write(1);
            } catch (IOException e) {
                LOG.warn("doorbell {}: ringing failed: {}", fifo, e.toString());
            }
        }
    }

    /** Closes the descriptor; rings after this do nothing. The files go with the channel directory. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("doorbell {}: close failed: {}", fifo, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "Doorbell[" + fifo + "]";
    }
}
