package dev.fabricembedded.ipc.loop;

/**
 * Frames that an event loop reads itself, on its own thread, besides what is published into its ring: the
 * Chronicle channel's inbound queue. Reading on the event-loop thread is what keeps a round trip down to one
 * polling thread per channel end; the price is that a frame arriving while the thread is parked is only
 * noticed at its next poll, so the wait strategy's park must stay bounded.
 *
 * <p>Only the event-loop thread calls these methods.
 */
public interface FrameSource {

    /**
     * Reads the next data frame if one is there, without waiting; control traffic (keepalives) is consumed on
     * the way. When the source ends it says why through {@code loop}: {@link FrameEventLoop#closeOrdered} for
     * an orderly end after everything before it (the other side closed, or its process exited and everything
     * it wrote has been read), {@link FrameEventLoop#closeNow} for a failure (a corrupt frame, an I/O error),
     * and returns {@code null}; it is not polled again after that.
     *
     * @return the frame, owned by the caller from now on, or {@code null} if there is none right now
     */
    byte[] poll(FrameEventLoop loop);

    /**
     * Releases what the source holds. Called on the event-loop thread when it ends, after the handler's
     * {@code onClose}; may already have been called by the loop's {@code afterClose} action, so idempotent.
     */
    void close();
}
