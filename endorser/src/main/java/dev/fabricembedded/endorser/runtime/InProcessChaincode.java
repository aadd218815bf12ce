package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.shim.impl.ChaincodeConnection;
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
 * A chaincode object running in the peer's JVM ({@link InProcessRuntime}): the shim's {@link ChaincodeConnection}
 * (its state machine and worker threads) on the chaincode end of an in-JVM channel pair, the peer's handler on the
 * other end.
 *
 * <p>It ends when its channel closes, from either side: the connection is then closed (its workers stopped) on the
 * runtime's exit thread, never on a channel's event-loop thread, and {@link #exit()} completes.
 */
final class InProcessChaincode implements RunningChaincode {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessChaincode.class);
    private static final Duration END_TIMEOUT = Duration.ofSeconds(30);

    private final LaunchSpec spec;
    private final FrameChannel peerEnd;
    private final ChaincodeConnection connection;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    InProcessChaincode(final LaunchSpec spec, final FrameChannel peerEnd, final ChaincodeConnection connection) {
        this.spec = spec;
        this.peerEnd = peerEnd;
        this.connection = connection;
    }

    /** Arranges for the chaincode to be released, then {@code released} to run and {@link #exit()} to complete. */
    void watchEnd(final Executor exitThread, final Consumer<InProcessChaincode> released) {
        connection.closeReason().thenAcceptAsync(reason -> ended(reason, released), exitThread);
    }

    private void ended(final CloseReason reason, final Consumer<InProcessChaincode> released) {
        connection.close();
        peerEnd.close();
        final int code = reason.kind() == CloseReason.Kind.LOCAL_CLOSE || reason.kind() == CloseReason.Kind.REMOTE_CLOSE
                ? 0 : 1;
        final ExitStatus status = new ExitStatus(code, "in-process chaincode " + spec.chaincodeId() + " ended: "
                + reason, List.of());
        ChaincodeExit.finish(this, released, status, null, LOG, exit);
    }

    @Override
    public LaunchSpec spec() {
        return spec;
    }

    @Override
    public FrameChannel channel() {
        return peerEnd;
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    @Override
    public void stop() {
        if (exit.isDone()) {
            return;
        }
        peerEnd.close();
        try {
            exit.get(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("chaincode {}: not ended within {} of its channel closing: {}", spec.chaincodeId(), END_TIMEOUT,
                    e.toString());
        }
    }

    @Override
    public String toString() {
        return "chaincode " + spec.chaincodeId() + " (in-process)";
    }
}
