package dev.fabricembedded.shim.impl;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.shim.Chaincode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One chaincode's connection to its peer: the shim state machine on a frame channel plus the bounded pool of
 * worker threads that run the chaincode. Opening it sends REGISTER; the peer answers REGISTERED and READY and then
 * sends INIT and TRANSACTION messages, which run on the workers.
 *
 * <p>The transport is the caller's choice: {@link Builder#open} hands the connection's {@link FrameHandler} to a
 * connector that returns the channel end bound to it (the Chronicle channel in a chaincode process, an in-JVM
 * channel for chaincodes run inside the peer's JVM).
 *
 * <pre>{@code
 * try (ChaincodeConnection connection = ChaincodeConnection.builder(new MyChaincode(), "mycc:1.0")
 *         .open(handler -> ChronicleChannel.builder(dir).attach(handler))) {
 *     CloseReason reason = connection.closeReason().join();
 * }
 * }</pre>
 *
 * <p>Threads: the channel's event loop runs the state machine and hands each invocation to the most recently idle
 * worker ({@link InvocationWorkers}: a compare-and-set, no lock, no system call while the worker still polls);
 * workers are named {@code chaincode-<name:version>-worker-<n>} and are daemon threads, so a chaincode that never
 * returns cannot keep a process alive. {@link #close} closes the channel first (which fails every pending request),
 * then stops the workers, interrupting chaincode still running, and waits for them up to the shutdown timeout.
 * On a Chronicle channel with lanes ({@link dev.fabricembedded.ipc.chronicle.Lane}), each lane is served by a thread of
 * its own, {@code chaincode-<name:version>-lane-<n>} ({@link LaneServer}), started before REGISTER so that the peer
 * finds the lanes served once the chaincode is ready; it runs the invocations the peer sends on its lane itself, and
 * ends when the channel closes its lanes ({@link #close} interrupts and waits for it like a worker).
 */
public final class ChaincodeConnection implements AutoCloseable {

    private final String chaincodeId;
    private final ShimHandler handler;
    private final InvocationWorkers workers;
    private final FrameChannel channel;
    private final List<Thread> laneThreads;
    private final Duration shutdownTimeout;

    private ChaincodeConnection(final String chaincodeId, final ShimHandler handler, final InvocationWorkers workers,
            final FrameChannel channel, final List<Thread> laneThreads, final Duration shutdownTimeout) {
        this.chaincodeId = chaincodeId;
        this.handler = handler;
        this.workers = workers;
        this.channel = channel;
        this.laneThreads = laneThreads;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Starts configuring a connection.
     *
     * @param chaincode   the chaincode to run
     * @param chaincodeId {@code name:version}, sent in REGISTER (Fabric's {@code CORE_CHAINCODE_ID_NAME})
     */
    public static Builder builder(final Chaincode chaincode, final String chaincodeId) {
        return new Builder(chaincode, chaincodeId);
    }

    /** The chaincode id sent in REGISTER. */
    public String chaincodeId() {
        return chaincodeId;
    }

    /** The current state of the shim state machine. */
    public ShimState state() {
        return handler.state();
    }

    /** How many received messages were dropped with a warning because the state did not accept them. */
    public long unexpectedMessages() {
        return handler.unexpectedMessages();
    }

    /** Completes with the channel's close reason when the channel closes (for whatever reason). */
    public CompletableFuture<CloseReason> closeReason() {
        return handler.closed();
    }

    /** Closes the channel (and its lanes), then stops the workers and the lanes' threads. Idempotent. */
    @Override
    public void close() {
        channel.close();
        workers.close();
        LaneServer.stop(laneThreads, shutdownTimeout);
    }

    /** Configuration of a {@link ChaincodeConnection}; the defaults are those of Fabric's Java shim. */
    public static final class Builder {
        private final Chaincode chaincode;
        private final String chaincodeId;
        private int workerThreads = 5;
        private int queueCapacity = 5000;
        private WaitStrategy waitStrategy = WaitStrategy.spinYieldPark();
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private Duration workerIdleSpin = Duration.ofNanos(20_000);
        private boolean completeFailedInvokes;

        private Builder(final Chaincode chaincode, final String chaincodeId) {
            this.chaincode = Objects.requireNonNull(chaincode, "chaincode");
            this.chaincodeId = Objects.requireNonNull(chaincodeId, "chaincodeId");
            if (chaincodeId.isBlank()) {
                throw new IllegalArgumentException("chaincode id must be name:version, got an empty string");
            }
        }

        /** Worker threads running chaincode invocations (Fabric's {@code TP_MAX_POOL_SIZE}, default 5). */
        public Builder workerThreads(final int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("workerThreads must be at least 1, got " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /**
         * Invocations that may wait for a worker (Fabric's {@code TP_QUEUE_SIZE}, default 5000); beyond it the peer
         * gets {@code ERROR "Failed to submit task for processing"}. Zero means no waiting room.
         */
        public Builder queueCapacity(final int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("queueCapacity must not be negative, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * How chaincode threads wait for the peer's answers to stub requests (default
         * {@link WaitStrategy#spinYieldPark()}: a {@code getState} answered within microseconds is picked up by
         * spinning, a slow one does not hold a core). {@link WaitStrategy#busySpin()} gives the lowest latency
         * with a core to spare per busy worker.
         */
        public Builder responseWaitStrategy(final WaitStrategy strategy) {
            this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * How long a worker that finished an invocation polls for the next one before parking, when invocations
         * have been arriving that close together (default 20 µs; {@link Duration#ZERO}: park at once). A worker
         * caught polling takes the next invocation without a wake-up; a sparse stream never polls, so on a machine
         * with few cores the workers do not take CPU from the threads that send the invocations (see
         * {@link InvocationWorkers}).
         */
        public Builder workerIdleSpin(final Duration spin) {
            Objects.requireNonNull(spin, "spin");
            if (spin.isNegative()) {
                throw new IllegalArgumentException("workerIdleSpin must not be negative, got " + spin);
            }
            this.workerIdleSpin = spin;
            return this;
        }

        /** How long {@link ChaincodeConnection#close} waits for workers after interrupting them (default 5 s). */
        public Builder shutdownTimeout(final Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Fabric's Go shim convention for Invoke, which Fabric's system chaincodes follow: an Invoke is answered with
         * COMPLETED whatever its status, and the endorser judges a status of 500 or more (it returns the response with
         * the proposal response payload, unendorsed). Default {@code false}: the Java shim's convention, ERROR for 500
         * or more. Init answers ERROR for 500 or more either way.
         */
        public Builder completeFailedInvokes(final boolean complete) {
            this.completeFailedInvokes = complete;
            return this;
        }

        /**
         * Creates the handler and the workers, asks {@code connector} for the channel end bound to the handler, and
         * sends REGISTER.
         *
         * @param connector returns an open channel whose frames go to the given handler
         * @throws RuntimeException whatever the connector or the first send throws; nothing is left running then
         */
        public ChaincodeConnection open(final Function<FrameHandler, FrameChannel> connector) {
            final InvocationWorkers workers = new InvocationWorkers(chaincodeId, workerThreads, queueCapacity,
                    workerIdleSpin, shutdownTimeout);
            final ShimHandler handler = new ShimHandler(chaincodeId, chaincode, workers, waitStrategy,
                    completeFailedInvokes);
            FrameChannel channel = null;
            try {
                channel = Objects.requireNonNull(connector.apply(handler), "connector returned no channel");
                final List<Thread> laneThreads = channel instanceof ChronicleChannel chronicle
                        ? LaneServer.startAll(chaincodeId, chronicle.lanes(), chaincode, waitStrategy,
                                completeFailedInvokes)
                        : List.of();
                handler.register(channel);
                return new ChaincodeConnection(chaincodeId, handler, workers, channel, laneThreads, shutdownTimeout);
            } catch (RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                workers.close();
                throw e;
            }
        }
    }
}
