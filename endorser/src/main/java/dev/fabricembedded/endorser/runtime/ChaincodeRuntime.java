package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.FrameHandler;

/**
 * Starts chaincodes and gives the peer one frame channel to each: Fabric's container runtime, with processes,
 * containers or objects in the peer's JVM behind the same contract.
 *
 * <p>Implementations: {@link ProcessRuntime} (the default: a child JVM per chaincode), {@link DockerRuntime} (a
 * container per chaincode) and {@link InProcessRuntime} (system chaincodes and chaincode objects registered by the
 * host application).
 *
 * <p>{@link #start} returns as soon as the chaincode is on its way: the transport exists and its frames go to the
 * given handler, but the chaincode may not have sent REGISTER yet. Waiting for REGISTER (and the start-up timeout)
 * is the caller's business, done through the handler; a chaincode that dies before registering shows up as the
 * completion of {@link RunningChaincode#exit()} and the closing of the channel.
 *
 * <p>Thread safety: {@link #start} may be called from several threads at once (one launch per chaincode name and
 * version is the caller's rule, not the runtime's). {@link #close()} stops every chaincode still running and
 * releases the runtime's own resources; {@code start} fails afterwards.
 */
public interface ChaincodeRuntime extends AutoCloseable {

    /**
     * Starts a chaincode.
     *
     * @param spec            what to start
     * @param peerSideHandler receives the chaincode's frames and the channel's close, on the channel's event-loop
     *                        thread; it may receive REGISTER before this method returns
     * @return the running chaincode
     * @throws ChaincodeStartException if it could not be started (nothing is left running then)
     * @throws IllegalStateException   if the runtime is closed
     */
    RunningChaincode start(LaunchSpec spec, FrameHandler peerSideHandler);

    /** Stops every chaincode still running (as {@link RunningChaincode#stop()}) and releases the runtime. Idempotent. */
    @Override
    void close();
}
