package dev.fabricembedded.ipc;

/**
 * Receives the frames of one {@link FrameChannel} end.
 *
 * <p>Both methods are called on the channel's single event-loop thread, so the handler owns its state without
 * locks: this is where the peer-side and shim-side chaincode state machines run. A handler must not block for
 * long (the next frame is not read until it returns); slow work (ledger access, chaincode code) belongs on
 * other threads, which answer through {@link FrameChannel#send} or hand their result back to the handler's
 * thread through the channel's {@link HandlerExecutor}.
 */
public interface FrameHandler {

    /**
     * One inbound frame, in arrival order. The array belongs to the handler from now on.
     * An exception thrown here is logged and closes the channel with {@link CloseReason.Kind#HANDLER_FAILED}.
     */
    void onFrame(FrameChannel channel, byte[] frame);

    /**
     * Called exactly once when the channel closes, for whatever reason; after it no further frame is
     * delivered. Pending requests should be failed here (Fabric: {@code chaincode stream terminated}).
     */
    default void onClose(FrameChannel channel, CloseReason reason) {
    }
}
