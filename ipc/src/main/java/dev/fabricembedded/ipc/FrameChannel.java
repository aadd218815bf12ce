package dev.fabricembedded.ipc;

/**
 * One end of a duplex, ordered, lossless frame channel between a peer and a chaincode.
 *
 * <p>A frame is an opaque byte array (in practice a serialized Fabric {@code ChaincodeMessage}); this
 * module never looks inside it. Frames sent from one thread arrive at the other end in the order they
 * were sent, exactly once, and are delivered to that end's {@link FrameHandler} on its single event-loop
 * thread.
 *
 * <p>Thread safety: {@link #send} may be called from any thread (the event-loop thread answering a
 * request, or a chaincode worker thread issuing one); implementations serialize writers so that each
 * underlying queue still has a single writer. {@link #close} is idempotent and may be called from any
 * thread, including the event-loop thread itself.
 */
public interface FrameChannel extends AutoCloseable {

    /**
     * Sends one frame. Never drops: when the transport is momentarily full the caller waits.
     *
     * @throws FrameTooLargeException if {@code frame.length} exceeds the channel's maximum frame size;
     *         nothing is sent and the channel stays open
     * @throws ChannelClosedException if the channel is closed (locally or because the other side is gone)
     */
    void send(byte[] frame);

    /** {@code true} until the channel is closed for any reason. */
    boolean isOpen();

    /** A short name for logs and thread names, e.g. {@code mycc:1.0}. */
    String name();

    /**
     * Closes this end: stops every thread the channel started, tells the other side (best effort), and
     * deletes the files this side owns. Idempotent. The handler's {@link FrameHandler#onClose} is called
     * once with {@link CloseReason.Kind#LOCAL_CLOSE} if the channel was still open.
     */
    @Override
    void close();
}
