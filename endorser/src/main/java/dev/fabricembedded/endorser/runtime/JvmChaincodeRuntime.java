package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.ipc.chronicle.ChronicleChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ProcessRuntime} and {@link DockerRuntime} share: a chaincode JVM started somewhere (a child process, a
 * container) and attached to a Chronicle channel the peer created for it under one base directory, and the lifecycle
 * around it, so that nothing a runtime started can outlive it.
 *
 * <p>{@link #start} checks the package jars, makes the channel directory and hands over to the subclass's
 * {@link #launch}; the chaincode it returns is registered as running and followed on the runtime's exit thread
 * (named {@code chaincode-<tag>-exits}), which drops it from {@link #running()} when it has ended. {@link #close()}
 * closes every running chaincode's channel first (so that all of them wind down in parallel), stops them one by
 * one, releases what the subclass holds, stops the exit thread and deletes the base directory's channel
 * directories. A JVM shutdown hook ends the running chaincodes the hard way if the peer exits without closing the
 * runtime.
 *
 * <p>Threads: starting and closing are serialized by a lock, so a chaincode started while the runtime closes is
 * stopped by the starting thread instead of escaping; the set of running chaincodes is concurrent.
 *
 * @param <C> the subclass's running chaincode
 */
abstract class JvmChaincodeRuntime<C extends RunningChaincode> implements ChaincodeRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(JvmChaincodeRuntime.class);

    /** The JVM command line of a chaincode. */
    final ChaincodeCommand command;
    /** How long a chaincode may take to end by itself, then after SIGTERM. */
    final Duration stopGracePeriod;
    private final ChannelBaseDirectory channels;
    private final Consumer<ChronicleChannelBuilder> channelSettings;
    private final String description;
    private final ExecutorService exitThread;
    private final Thread shutdownHook;
    private final Set<C> running = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;

    /**
     * @param description what the runtime is, in messages ({@code "process runtime"})
     * @param tag         the middle of its thread names ({@code "process"})
     */
    JvmChaincodeRuntime(final JvmChaincodeBuilder<?> builder, final ChaincodeCommand command,
            final String description, final String tag) {
        this.command = command;
        this.stopGracePeriod = builder.stopGracePeriod;
        this.channelSettings = builder.channelSettings;
        this.channels = ChannelBaseDirectory.of(builder.channelBaseDir);
        this.description = description;
        this.exitThread = Executors.newSingleThreadExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "chaincode-" + tag + "-exits");
            thread.setDaemon(true);
            return thread;
        });
        this.shutdownHook = new Thread(this::endAllAtShutdown, "chaincode-" + tag + "-runtime-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The directory under which channel directories are created. */
    public final Path channelBaseDir() {
        return channels.path();
    }

    /** The chaincodes started and not yet ended. */
    public final List<RunningChaincode> running() {
        return List.copyOf(running);
    }

    @Override
    public final RunningChaincode start(final LaunchSpec spec, final FrameHandler peerSideHandler) {
        Objects.requireNonNull(spec, "spec");
        final ObservedHandler handler = new ObservedHandler(peerSideHandler);
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the " + description + " is closed");
            }
        }
        for (final Path jar : spec.packageJars()) {
            if (!Files.isRegularFile(jar)) {
                throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": package jar "
                        + jar + " does not exist");
            }
        }
        final C chaincode = launch(spec, channels.newChannelDirectory(spec.name(), spec.version()), handler);
        synchronized (lifecycle) {
            if (!closed) {
                running.add(chaincode);
                follow(chaincode, exitThread, running::remove);
                return chaincode;
            }
        }
        abandon(chaincode);
        throw new IllegalStateException("the " + description + " was closed while chaincode " + spec.chaincodeId()
                + " was starting");
    }

    /**
     * Starts the chaincode JVM attached to a channel in {@code dir} (create it with {@link #createChannel}). On
     * failure it releases what it made, the channel included, and throws {@link ChaincodeStartException}.
     */
    abstract C launch(LaunchSpec spec, Path dir, ObservedHandler handler);

    /** Arranges for {@code released} to run on {@code exitThread} once the chaincode has ended and been released. */
    abstract void follow(C chaincode, Executor exitThread, Consumer<C> released);

    /** Ends a chaincode that was started while the runtime closed, on the starting thread. */
    abstract void abandon(C chaincode);

    /** At JVM shutdown: ends the chaincode at once, without waiting. */
    abstract void endAtShutdown(C chaincode);

    /** Releases what the subclass holds besides its chaincodes, once they are stopped and the exit thread is done. */
    void releaseResources() {
    }

    /** The peer side of a chaincode's channel in {@code dir}, with the builder's channel settings. */
    final ChronicleChannel createChannel(final LaunchSpec spec, final Path dir, final ObservedHandler handler) {
        final ChronicleChannelBuilder channelBuilder = ChronicleChannel.builder(dir).name(spec.chaincodeId());
        channelSettings.accept(channelBuilder);
        try {
            return channelBuilder.create(handler);
        } catch (RuntimeException e) {
            throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId()
                    + ": cannot create its channel at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public final void close() {
        final List<C> all;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(running);
        }
        all.forEach(c -> c.channel().close());
        all.forEach(RunningChaincode::stop);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it finds nothing left
        }
        exitThread.shutdown();
        try {
            if (!exitThread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the exit thread of the {} did not finish within 30 s", description);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseResources();
        channels.close();
    }

    private void endAllAtShutdown() {
        running.forEach(this::endAtShutdown);
    }
}
