package dev.fabricembedded.shim.impl;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.shim.Chaincode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Threads: the channel's event loop runs the state machine; workers are named
 * {@code chaincode-<name:version>-worker-<n>} and are daemon threads, so a chaincode that never returns cannot keep
 * a process alive. {@link #close} closes the channel first (which fails every pending request), then stops the
 * workers, interrupting chaincode still running, and waits for them up to the shutdown timeout.
 */
public final class ChaincodeConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChaincodeConnection.class);

    private final String chaincodeId;
    private final ShimHandler handler;
    private final ThreadPoolExecutor workers;
    private final FrameChannel channel;
    private final Duration shutdownTimeout;

    private ChaincodeConnection(final String chaincodeId, final ShimHandler handler, final ThreadPoolExecutor workers,
            final FrameChannel channel, final Duration shutdownTimeout) {
        this.chaincodeId = chaincodeId;
        this.handler = handler;
        this.workers = workers;
        this.channel = channel;
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

    /** Closes the channel, then stops the workers. Idempotent. */
    @Override
    public void close() {
        channel.close();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("chaincode {}: {} worker thread(s) still running {} after close (chaincode ignoring"
                        + " interrupts)", chaincodeId, workers.getActiveCount(), shutdownTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configuration of a {@link ChaincodeConnection}; the defaults are those of Fabric's Java shim. */
    public static final class Builder {
        private final Chaincode chaincode;
        private final String chaincodeId;
        private int workerThreads = 5;
        private int queueCapacity = 5000;
        private WaitStrategy waitStrategy = WaitStrategy.spinYieldPark();
        private Duration shutdownTimeout = Duration.ofSeconds(5);
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
            final BlockingQueue<Runnable> waiting = queueCapacity == 0
                    ? new SynchronousQueue<>()
                    : new ArrayBlockingQueue<>(queueCapacity);
            final ThreadPoolExecutor workers = new ThreadPoolExecutor(workerThreads, workerThreads, 0L,
                    TimeUnit.MILLISECONDS, waiting, workerThreadFactory(chaincodeId),
                    new ThreadPoolExecutor.AbortPolicy());
            final ShimHandler handler = new ShimHandler(chaincodeId, chaincode, workers, waitStrategy,
                    completeFailedInvokes);
            FrameChannel channel = null;
            try {
                channel = Objects.requireNonNull(connector.apply(handler), "connector returned no channel");
                handler.register(channel);
                return new ChaincodeConnection(chaincodeId, handler, workers, channel, shutdownTimeout);
            } catch (RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                workers.shutdownNow();
                throw e;
            }
        }

        private static ThreadFactory workerThreadFactory(final String chaincodeId) {
            final AtomicInteger next = new AtomicInteger();
            return runnable -> {
                final Thread thread = new Thread(runnable,
                        "chaincode-" + chaincodeId + "-worker-" + next.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
