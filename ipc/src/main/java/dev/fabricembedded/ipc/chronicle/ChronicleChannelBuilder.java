package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Settings of a {@link ChronicleChannel}; every one has a default that works on a 2-core machine.
 *
 * <pre>{@code
 * // peer side (ChannelDirectory.cleanStale(baseDir) once at start-up)
 * ChronicleChannel channel = ChronicleChannel.builder(baseDir.resolve("mycc-1.0-7f3a"))
 *         .name("mycc:1.0")
 *         .create(peerHandler);
 * Process chaincode = launch(channel.directory());
 * channel.watchProcess(chaincode);
 * // chaincode side, in the child process, given the directory path
 * ChronicleChannel channel = ChronicleChannel.builder(dir).name("mycc:1.0").attach(shimHandler);
 * }</pre>
 *
 * <p>The maximum frame size and roll cycle are fixed by the creating side and recorded in the directory;
 * the attaching side adopts them, so the two always agree.
 */
public final class ChronicleChannelBuilder {

    /** Default maximum frame size: 16 MiB (Fabric {@code PutState} values of several MiB exist). */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
    /** Default ring size of the inbound event loop. */
    public static final int DEFAULT_RING_SIZE = 4096;
    /** Lanes a channel has by default: as many as the conversations that can run at once on this machine's cores. */
    public static final int DEFAULT_LANES = Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors()));
    /** The most lanes a channel may have. */
    public static final int MAX_LANES = 64;

    private final Path dir;
    private String name;
    private WaitStrategy waitStrategy = WaitStrategy.spinYieldPark();
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private int ringSize = DEFAULT_RING_SIZE;
    private Duration keepaliveInterval = Duration.ofSeconds(1);
    private Duration livenessTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private Duration closeLinger = Duration.ofSeconds(2);
    private RollCycle rollCycle = RollCycles.FIVE_MINUTELY;
    private WatchedProcess watched;
    private boolean doorbells = true;
    private int lanes = DEFAULT_LANES;
    private boolean laneAffinity = true;

    ChronicleChannelBuilder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
        Path fileName = this.dir.getFileName();
        this.name = fileName == null ? "channel" : fileName.toString();
    }

    /** Name for logs and threads ({@code ipc-<name>-events}, {@code ipc-<name>-liveness}); default: the directory's name. */
    public ChronicleChannelBuilder name(String channelName) {
        Objects.requireNonNull(channelName, "channelName");
        if (channelName.isBlank()) {
            throw new IllegalArgumentException("channel name must not be blank");
        }
        this.name = channelName;
        return this;
    }

    /**
     * How the event-loop thread waits for frames and tasks: {@link WaitStrategy#busySpin()} for the lowest
     * latency (a core per channel end), {@link WaitStrategy#yielding()} for low latency with fewer cores than
     * busy channel ends, {@link WaitStrategy#spinYieldPark()} by default (the first frame after a quiet period
     * waits up to its longest park, 2 ms).
     */
    public ChronicleChannelBuilder waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Largest frame {@code send} accepts (default 16 MiB). Only the creating side's value counts; the queue
     * block size is derived from it (about 8x, sparse on disk).
     */
    public ChronicleChannelBuilder maxFrameSize(int bytes) {
        if (bytes <= 0 || bytes > 256 * 1024 * 1024) {
            throw new IllegalArgumentException("maximum frame size must be in 1..256 MiB, got " + bytes);
        }
        this.maxFrameSize = bytes;
        return this;
    }

    /**
     * Slots of the end's ring, a power of two (default {@value #DEFAULT_RING_SIZE}): the mailbox through which
     * other threads hand the event-loop thread tasks ({@link ChronicleChannel#execute}) and close requests.
     * Inbound frames do not pass through it; they wait in the queue until the handler is ready.
     */
    public ChronicleChannelBuilder ringSize(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("ring size must be a positive power of two, got " + slots);
        }
        this.ringSize = slots;
        return this;
    }

    /** A keepalive is sent after this long without sending anything (default 1 s). */
    public ChronicleChannelBuilder keepaliveInterval(Duration interval) {
        this.keepaliveInterval = positive(interval, "keepalive interval");
        return this;
    }

    /**
     * The channel closes with {@code KEEPALIVE_TIMEOUT} when nothing arrived from the other side for this long
     * (default 10 s). On the creating side it applies once the other side has been heard from; before that (a
     * chaincode process still starting) the owner's own start-up timeout and {@link #watchProcess} apply. The
     * attaching side counts from the start: its creator exists before it and keeps writing.
     */
    public ChronicleChannelBuilder livenessTimeout(Duration timeout) {
        this.livenessTimeout = positive(timeout, "liveness timeout");
        return this;
    }

    /** How long {@code close} waits for a handler still busy on the event-loop thread (default 10 s). */
    public ChronicleChannelBuilder closeTimeout(Duration timeout) {
        this.closeTimeout = positive(timeout, "close timeout");
        return this;
    }

    /**
     * How long the creating side, when it closes first, waits for the other side to acknowledge with its own
     * close frame before deleting the directory (default 2 s, like TCP's linger). Without the wait, frames sent
     * just before the close could be deleted before the other side read them. The wait ends at once when the
     * acknowledgement arrives, when the watched process has exited, or when nobody ever attached. Keep it well below
     * the close timeout, which bounds the whole of {@code close}.
     */
    public ChronicleChannelBuilder closeLinger(Duration linger) {
        this.closeLinger = positive(linger, "close linger");
        return this;
    }

    /**
     * Chronicle roll cycle of the queues (default {@code FIVE_MINUTELY}); the reading side deletes each cycle's
     * file once it has read past it, so a long-lived channel keeps about one file per direction on disk.
     * Must be one of Chronicle's enum roll cycles. Only the creating side's value counts.
     */
    public ChronicleChannelBuilder rollCycle(RollCycle cycle) {
        Objects.requireNonNull(cycle, "cycle");
        if (!(cycle instanceof Enum<?>)) {
            throw new IllegalArgumentException("roll cycle must be one of Chronicle's enum constants, got " + cycle);
        }
        this.rollCycle = cycle;
        return this;
    }

    /**
     * Watches the other side's process from the start (see {@link ChronicleChannel#watchProcess(ProcessHandle)}
     * to begin later): its exit closes the channel with {@code REMOTE_PROCESS_EXITED} within about 100 ms,
     * after the frames it wrote before dying have been delivered.
     */
    public ChronicleChannelBuilder watchProcess(ProcessHandle process) {
        this.watched = WatchedProcess.of(Objects.requireNonNull(process, "process"));
        return this;
    }

    /** As {@link #watchProcess(ProcessHandle)}, and the close reason carries the exit status. */
    public ChronicleChannelBuilder watchProcess(Process process) {
        this.watched = WatchedProcess.of(Objects.requireNonNull(process, "process"));
        return this;
    }

    /**
     * Whether the creating side makes doorbells (default {@code true}): a FIFO per direction that an idle event-loop
     * thread blocks on and the other process rings after writing, so that idle threads sleep instead of polling
     * (see {@link Doorbell}). Without them (or when {@code mkfifo} fails, which is logged) waiting threads poll with
     * the wait strategy's spin, yield and bounded parks. The attaching side follows what the creator announced in the
     * directory, whatever it sets here.
     */
    public ChronicleChannelBuilder doorbells(boolean enabled) {
        this.doorbells = enabled;
        return this;
    }

    /**
     * The creating (peer) side: creates the directory (mode 0700; a stale one left by a crashed run is
     * replaced) and both queues, and starts the channel's threads. {@link ChronicleChannel#close()} deletes
     * the directory.
     *
     * @throws IllegalStateException if the directory belongs to a live channel or is an unrelated non-empty one
     */
    public ChronicleChannel create(FrameHandler handler) {
        Objects.requireNonNull(handler, "handler");
        ChannelDirectory directory = ChannelDirectory.create(dir, maxFrameSize, RollCycleNames.of(rollCycle), doorbells, lanes,
                laneAffinity);
        return ChronicleChannel.open(this, directory, true, handler);
    }

    /**
     * The attaching (chaincode) side: opens the queues of a channel another process created at this path and
     * starts the channel's threads. {@link ChronicleChannel#close()} leaves the directory to its creator.
     *
     * @throws IllegalStateException if there is no channel at this path
     */
    public ChronicleChannel attach(FrameHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return ChronicleChannel.open(this, ChannelDirectory.open(dir), false, handler);
    }

    String name() {
        return name;
    }

    /**
     * How many lanes the creating side makes (default {@link #DEFAULT_LANES}: the cores, between 2 and 8; {@code 0}: none): synchronous side paths
     * of the channel, each carrying one conversation at a time between one thread of each process, so that concurrent
     * conversations do not share the event-loop threads and each frame wakes the thread that consumes it (see
     * {@link Lane}). Each lane costs two sparse queue files, two FIFOs and, on the attaching side, a sleeping thread.
     * Lanes need doorbells; without them the channel has none. The attaching side follows the creator.
     */
    public ChronicleChannelBuilder lanes(int count) {
        if (count < 0 || count > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be between 0 and " + MAX_LANES + ", got " + count);
        }
        this.lanes = count;
        return this;
    }

    int lanes() {
        return lanes;
    }

    /**
     * Whether each lane gets a home CPU (default {@code true}; Linux only, elsewhere ignored): lane {@code i} is at home
     * on the {@code i}-th CPU the creating process may use (modulo their count), recorded in the directory so both sides
     * agree. The attaching side's thread serving a lane runs on that CPU only, {@link ChronicleChannel#tryAcquireLane()}
     * prefers the lane at home on the caller's CPU, and a conversation runs its thread there for its duration
     * ({@link Lane#settleAtHome()}), so a conversation's hand-offs never cross CPUs: a thread woken on an idle CPU
     * waits for it to leave its idle state, tens of microseconds on a virtual machine (see {@link CpuAffinity}).
     * Limits set by the application or a container are respected: a thread is never bound to a CPU it may not use.
     * The creating side decides; the attaching side follows the directory.
     */
    public ChronicleChannelBuilder laneAffinity(boolean enabled) {
        this.laneAffinity = enabled;
        return this;
    }

    WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    int ringSize() {
        return ringSize;
    }

    Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    Duration livenessTimeout() {
        return livenessTimeout;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    Duration closeLinger() {
        return closeLinger;
    }

    WatchedProcess watched() {
        return watched;
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }
}
