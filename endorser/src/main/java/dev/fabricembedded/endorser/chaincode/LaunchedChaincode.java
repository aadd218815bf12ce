package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.endorser.runtime.CodePackageFiles;
import dev.fabricembedded.endorser.runtime.ExitStatus;
import dev.fabricembedded.endorser.runtime.RunningChaincode;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start of a chaincode by the launcher: its launch state, the package files it runs from, and the running
 * chaincode once the runtime has started it, until it ends.
 *
 * <p>When the chaincode ends (its process or container exits, or the in-process object's channel closes) the launch
 * state is notified with Fabric's {@code container exited with <code>} (ignored if it was ready), the package files are
 * deleted, and {@link #ended()} completes. {@link #stop} may be requested at any time from any thread, even before the
 * runtime has returned the running chaincode; the blocking stop runs on the given executor. Thread-safe.
 */
final class LaunchedChaincode {

    private static final Logger LOG = LoggerFactory.getLogger(LaunchedChaincode.class);

    private final String cname;
    private final LaunchState state;
    private final CompletableFuture<RunningChaincode> running = new CompletableFuture<>();
    private final CompletableFuture<String> startFailure = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Consumer<LaunchedChaincode> onEnded;
    private volatile CodePackageFiles files;

    LaunchedChaincode(final String cname, final LaunchState state, final Consumer<LaunchedChaincode> onEnded) {
        this.cname = cname;
        this.state = state;
        this.onEnded = onEnded;
    }

    String cname() {
        return cname;
    }

    LaunchState state() {
        return state;
    }

    /** Completes with the runtime's error message if the chaincode could not be started at all. */
    CompletableFuture<String> startFailure() {
        return startFailure;
    }

    /** Completes once the chaincode has ended and its files are deleted (or it never started). */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** The package files the chaincode runs from (deleted when it ends). */
    void files(final CodePackageFiles packageFiles) {
        this.files = packageFiles;
    }

    /** The runtime started the chaincode. */
    void started(final RunningChaincode chaincode, final Executor stopper) {
        running.complete(chaincode);
        chaincode.exit().thenAccept(this::exited);
        if (stopRequested.get()) {
            stopOn(chaincode, stopper);
        }
    }

    /** The runtime could not start the chaincode; nothing of it is running. */
    void startFailed(final String message) {
        running.completeExceptionally(new IllegalStateException(message));
        deleteFiles();
        startFailure.complete(message);
        end();
    }

    /** Stops the chaincode (now, or as soon as the runtime has started it). Idempotent. */
    void stop(final Executor stopper) {
        if (stopRequested.compareAndSet(false, true)) {
            if (running.isDone() && !running.isCompletedExceptionally()) {
                stopOn(running.join(), stopper);
            }
        }
    }

    private void stopOn(final RunningChaincode chaincode, final Executor stopper) {
        try {
            stopper.execute(chaincode::stop);
        } catch (RejectedExecutionException e) {
            // closing: the runtime's own close stops it
            LOG.debug("chaincode {}: stop left to the runtime's close", cname);
        }
    }

    private void exited(final ExitStatus status) {
        state.notify("container exited with " + status.code());
        LOG.info("chaincode {} ended: {}", cname, status.message());
        if (status.code() != 0 && !status.lastOutput().isEmpty()) {
            LOG.warn("chaincode {}: last output before it ended:\n  {}", cname, String.join("\n  ", status.lastOutput()));
        }
        deleteFiles();
        end();
    }

    private void end() {
        try {
            onEnded.accept(this);
        } finally {
            ended.complete(null);
        }
    }

    /** Deletes the package files, if any are left. */
    void deleteFiles() {
        final CodePackageFiles packageFiles = files;
        if (packageFiles != null) {
            try {
                packageFiles.close();
            } catch (UncheckedIOException e) {
                LOG.warn("chaincode {}: could not delete its package files: {}", cname, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "launch of " + cname;
    }
}
