package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.FrameChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One chaincode started by a {@link ChaincodeRuntime}: the peer's end of its frame channel, its exit, and the way
 * to stop it.
 *
 * <p>Thread safety: every method may be called from any thread. {@link #stop()} blocks (up to about two stop grace
 * periods), so it must not be called on the channel's event-loop thread.
 */
public interface RunningChaincode {

    /** What was started. */
    LaunchSpec spec();

    /**
     * The peer's end of the channel; its frames go to the handler given to {@link ChaincodeRuntime#start}. The
     * channel closes when the chaincode ends: for a child process with {@code REMOTE_PROCESS_EXITED} and the exit
     * status once everything the process wrote has been delivered; for a container with
     * {@code REMOTE_PROCESS_EXITED: container exited with <code>}; for an in-process chaincode with
     * {@code REMOTE_CLOSE}.
     */
    FrameChannel channel();

    /**
     * Completes, never exceptionally, when the process, container or in-process chaincode has ended, whether it
     * stopped by itself or was stopped, once the runtime has released what belonged to it (channel directory,
     * container).
     */
    CompletableFuture<ExitStatus> exit();

    /**
     * Stops the chaincode and releases everything it held: closes the channel (an orderly chaincode exits on its
     * own), then asks the process or container to terminate (SIGTERM) and kills it (SIGKILL) if it is still
     * there after the grace period, reaps it, deletes the channel directory and removes the container. Returns
     * when {@link #exit()} is complete. Idempotent; a no-op once the chaincode has ended and been released.
     */
    void stop();
}
