package dev.fabricembedded.ipc.injvm;

import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.loop.FrameEventLoop;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates connected in-JVM channel pairs: the same {@link dev.fabricembedded.ipc.FrameChannel} contract as
 * the Chronicle channel (ordered, lossless, frames copied on send, one event-loop thread per end, each end a
 * {@link dev.fabricembedded.ipc.HandlerExecutor}, size limit, close propagated to the other end as
 * {@code REMOTE_CLOSE}) without files or another process. Used for in-process chaincodes and in tests.
 *
 * <pre>{@code
 * try (ChannelPair pair = InJvmChannels.pair("mycc:1.0", peerHandler, chaincodeHandler)) {
 *     pair.first().send(frame);   // delivered to chaincodeHandler on thread ipc-mycc:1.0-b-events
 *     HandlerExecutor.of(pair.first()).execute(task);   // runs on ipc-mycc:1.0-a-events, peerHandler's thread
 * }
 * }</pre>
 *
 * <p>A send waits while the other end's ring is full. Two handlers that flood each other from their
 * event-loop threads can therefore wait on each other; keep the ring larger than the number of requests
 * that can be outstanding.
 */
public final class InJvmChannels {

    /** Default maximum frame size, 16 MiB, the same as the Chronicle channel's. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
    /** Default ring size per end. */
    public static final int DEFAULT_RING_SIZE = 8192;

    private InJvmChannels() {
    }

    /** A pair with the default wait strategy, ring size and maximum frame size. */
    public static ChannelPair pair(String name, FrameHandler first, FrameHandler second) {
        return builder(name).pair(first, second);
    }

    /** A builder for a pair with non-default settings. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Settings of an in-JVM pair; every one has a default. */
    public static final class Builder {
        private final String name;
        private WaitStrategy waitStrategy = WaitStrategy.spinYieldPark();
        private int ringSize = DEFAULT_RING_SIZE;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("channel name must not be blank");
            }
        }

        /** How the event-loop threads wait for frames (default {@link WaitStrategy#spinYieldPark()}). */
        public Builder waitStrategy(WaitStrategy strategy) {
            this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Slots per end's ring, a power of two (default {@value #DEFAULT_RING_SIZE}). */
        public Builder ringSize(int slots) {
            if (slots <= 0 || Integer.bitCount(slots) != 1) {
                throw new IllegalArgumentException("ring size must be a positive power of two, got " + slots);
            }
            this.ringSize = slots;
            return this;
        }

        /** Largest frame accepted by {@code send} (default 16 MiB). */
        public Builder maxFrameSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximum frame size must be positive, got " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /** How long {@code close} waits for a handler still busy on the event-loop thread (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Connects two ends and starts their event-loop threads ({@code ipc-<name>-a-events}, {@code -b-}). */
        public ChannelPair pair(FrameHandler first, FrameHandler second) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
            InJvmChannel a = new InJvmChannel(name, maxFrameSize, closeTimeout);
            InJvmChannel b = new InJvmChannel(name, maxFrameSize, closeTimeout);
            a.connect(new FrameEventLoop(name + "-a", a, first, waitStrategy, ringSize, a::afterClose), b);
            b.connect(new FrameEventLoop(name + "-b", b, second, waitStrategy, ringSize, b::afterClose), a);
            a.inbound().start();
            b.inbound().start();
            return new ChannelPair(a, b);
        }
    }
}
