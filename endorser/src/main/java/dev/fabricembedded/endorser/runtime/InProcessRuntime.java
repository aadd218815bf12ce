package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.injvm.ChannelPair;
import dev.fabricembedded.ipc.injvm.InJvmChannels;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.impl.ChaincodeConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chaincode objects inside the peer's JVM: the system chaincodes, and chaincodes a host application registers
 * ({@link #register}). Each start connects the registered object to the peer's handler through an in-JVM channel
 * pair, driven on the chaincode side by the shim's own state machine and worker pool ({@link ChaincodeConnection}),
 * so an in-process chaincode speaks exactly the protocol a chaincode process does: REGISTER, then INIT or
 * TRANSACTION answered with COMPLETED or ERROR, with every ledger access a request to the peer.
 *
 * <pre>{@code
 * InProcessRuntime runtime = InProcessRuntime.builder().build()
 *         .register("lscc", "1.4.0", new Lscc(...))
 *         .register("mycc", "1.0", new MyChaincode());
 * RunningChaincode lscc = runtime.start(LaunchSpec.builder("lscc", "1.4.0").build(), peerHandler);
 * }</pre>
 *
 * <p>A chaincode is found by its exact name and version. The same object serves every start of that name and
 * version (a chaincode keeps its state in the ledger, not in fields). Threads: per started chaincode, the pair's two
 * event-loop threads ({@code ipc-<name:version>-a-events} for the peer's handler, {@code -b-} for the shim) and the
 * shim's workers ({@code chaincode-<name:version>-worker-<n>}); one named thread ({@code chaincode-inprocess-exits})
 * finishes ended chaincodes. The registry and the set of running chaincodes are concurrent maps.
 */
public final class InProcessRuntime implements ChaincodeRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessRuntime.class);

    private final Consumer<InJvmChannels.Builder> channelSettings;
    private final Consumer<ChaincodeConnection.Builder> connectionSettings;
    private final Map<String, Chaincode> registered = new ConcurrentHashMap<>();
    private final Set<InProcessChaincode> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService exitThread;
    private final Object lifecycle = new Object();
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;

    private InProcessRuntime(final Builder builder) {
        this.channelSettings = builder.channelSettings;
        this.connectionSettings = builder.connectionSettings;
        this.exitThread = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "chaincode-inprocess-exits");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A builder with the shim's and the in-JVM channel's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a chaincode object under a name and version (thread-safe).
     *
     * @return this runtime
     * @throws IllegalArgumentException with Fabric's message for a malformed name or version, or if that name and
     *                                  version are already registered
     */
    public InProcessRuntime register(final String name, final String version, final Chaincode chaincode) {
        Objects.requireNonNull(chaincode, "chaincode");
        final String id = LaunchSpec.builder(name, version).build().chaincodeId();
        if (registered.putIfAbsent(id, chaincode) != null) {
            throw new IllegalArgumentException("an in-process chaincode is already registered as " + id);
        }
        return this;
    }

    /** Whether a chaincode object is registered under this name and version. */
    public boolean isRegistered(final String name, final String version) {
        return registered.containsKey(name + ":" + version);
    }

    /**
     * {@inheritDoc}
     *
     * @throws ChaincodeStartException if no chaincode object is registered under the spec's name and version
     */
    @Override
    public RunningChaincode start(final LaunchSpec spec, final FrameHandler peerSideHandler) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(peerSideHandler, "peerSideHandler");
        final String id = spec.chaincodeId();
        final Chaincode chaincode = registered.get(id);
        if (chaincode == null) {
            throw new ChaincodeStartException("cannot start chaincode " + id + ": no in-process chaincode is"
                    + " registered under that name and version");
        }
        final InProcessChaincode started;
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the in-process runtime is closed");
            }
            final FrameChannel[] peerEnd = new FrameChannel[1];
            final ChaincodeConnection.Builder connection = ChaincodeConnection.builder(chaincode, id);
            connectionSettings.accept(connection);
            final ChaincodeConnection opened;
            try {
                opened = connection.open(shimHandler -> {
                    final InJvmChannels.Builder channel = InJvmChannels.builder(id);
                    channelSettings.accept(channel);
                    final ChannelPair pair = channel.pair(peerSideHandler, shimHandler);
                    peerEnd[0] = pair.first();
                    return pair.second();
                });
            } catch (RuntimeException e) {
                if (peerEnd[0] != null) {
                    peerEnd[0].close();
                }
                throw new ChaincodeStartException("cannot start chaincode " + id + " in-process: " + e.getMessage(), e);
            }
            started = new InProcessChaincode(spec, peerEnd[0], opened);
            running.add(started);
            started.watchEnd(exitThread, running::remove);
        }
        LOG.info("chaincode {}: started in-process", id);
        return started;
    }

    /** The chaincodes started and not yet ended. */
    public List<RunningChaincode> running() {
        return List.copyOf(running);
    }

    @Override
    public void close() {
        final List<InProcessChaincode> all;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(running);
        }
        all.forEach(InProcessChaincode::stop);
        exitThread.shutdown();
        try {
            if (!exitThread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the in-process chaincode exit thread did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of an {@link InProcessRuntime}. */
    public static final class Builder {
        private Consumer<InJvmChannels.Builder> channelSettings = b -> { };
        private Consumer<ChaincodeConnection.Builder> connectionSettings = b -> { };

        private Builder() {
        }

        /** Adjusts each chaincode's in-JVM channel pair (wait strategy, ring size, frame size). */
        public Builder channelSettings(final Consumer<InJvmChannels.Builder> settings) {
            this.channelSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Adjusts each chaincode's shim connection (worker threads, queue, response wait strategy). */
        public Builder connectionSettings(final Consumer<ChaincodeConnection.Builder> settings) {
            this.connectionSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public InProcessRuntime build() {
            return new InProcessRuntime(this);
        }
    }
}
