package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.FrameChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chaincode running as a child JVM of the peer ({@link ProcessRuntime}).
 *
 * <p>When the process ends, however it ends, the JDK's process reaper notices; on the runtime's exit thread this
 * object then waits for the channel to close by itself (the channel watches the process and delivers what it wrote
 * before dying first), makes sure the channel is released (directory deleted), waits briefly for the output threads
 * to drain, and completes {@link #exit()}. {@link #stop()} may run concurrently with that on any other thread.
 */
final class ChildProcessChaincode implements RunningChaincode {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcessChaincode.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CHANNEL_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REAP_TIMEOUT = Duration.ofSeconds(30);

    private final LaunchSpec spec;
    private final FrameChannel channel;
    private final ObservedHandler handler;
    private final Process process;
    private final ChaincodeOutput output;
    private final List<Thread> pumps;
    private final Duration stopGracePeriod;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    ChildProcessChaincode(final LaunchSpec spec, final FrameChannel channel, final ObservedHandler handler,
            final Process process, final ChaincodeOutput output, final List<Thread> pumps,
            final Duration stopGracePeriod) {
        this.spec = spec;
        this.channel = channel;
        this.handler = handler;
        this.process = process;
        this.output = output;
        this.pumps = List.copyOf(pumps);
        this.stopGracePeriod = stopGracePeriod;
    }

    /**
     * Arranges for {@code released} to run when the process has ended and its channel is released, and then for
     * {@link #exit()} to complete.
     */
    void watchExit(final Executor exitThread, final Consumer<ChildProcessChaincode> released) {
        process.onExit().thenRunAsync(() -> exited(released), exitThread);
    }

    private void exited(final Consumer<ChildProcessChaincode> released) {
        final int code = process.exitValue();
        try {
            handler.closed().get(CHANNEL_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("chaincode {}: channel still open {} after process {} exited; closing it", spec.chaincodeId(),
                    CHANNEL_CLOSE_TIMEOUT, process.pid());
        } catch (ExecutionException e) {
            LOG.debug("chaincode {}: channel close failed", spec.chaincodeId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        for (final Thread pump : pumps) {
            try {
                pump.join(DRAIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        final ExitStatus status = new ExitStatus(code, "chaincode process " + process.pid() + " exited with " + code,
                output.lastLines());
        ChaincodeExit.finish(this, released, status, null, LOG, exit);
    }

    @Override
    public LaunchSpec spec() {
        return spec;
    }

    @Override
    public FrameChannel channel() {
        return channel;
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    /** The child process. */
    Process process() {
        return process;
    }

    @Override
    public void stop() {
        if (exit.isDone()) {
            return;
        }
        // the tree as it is now: once the JVM is gone its children are re-parented and no longer ours to find
        final List<ProcessHandle> descendants = process.descendants().toList();
        channel.close();
        try {
            if (!process.waitFor(stopGracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("chaincode {}: process {} still running {} after its channel closed; terminating it",
                        spec.chaincodeId(), process.pid(), stopGracePeriod);
                process.destroy();
                if (!process.waitFor(stopGracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("chaincode {}: process {} ignored SIGTERM for {}; killing it", spec.chaincodeId(),
                            process.pid(), stopGracePeriod);
                    process.destroyForcibly();
                    process.waitFor(REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit();
    }

    /** Last resort at JVM shutdown: kill the process and its descendants, without waiting. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void awaitExit() {
        try {
            exit.get(REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("chaincode {}: process {} not released within {}: {}", spec.chaincodeId(), process.pid(),
                    REAP_TIMEOUT, e.toString());
        }
    }

    @Override
    public String toString() {
        return "chaincode " + spec.chaincodeId() + " (process " + process.pid() + ")";
    }
}
