package dev.fabricembedded.ipc.loop;

/**
 * Frames that an event loop reads itself, on its own thread, besides what is published into its ring: the
 * Chronicle channel's inbound queue. Reading on the event-loop thread is what keeps a round trip down to one
 * polling thread per channel end; the price is that a frame arriving while the thread is parked is only
 * noticed at its next poll, so the wait strategy's park must stay bounded.
 *
 * <p>One thread at a time reads the source, without locks: the event-loop thread, or the holder of an
 * {@link dev.fabricembedded.ipc.InboundLease} ({@link FrameEventLoop#tryLease}). The loop hands the source from one
 * reader to the next through a compare-and-set owner word, so each reader sees what the previous one did to it;
 * implementations keep their state in plain fields but must allow the reading thread to change (a thread-confined
 * resource inside must be told, as Chronicle's tailer is). The reader may call the loop's close methods from any of
 * those threads. {@link #close()} is called on the event-loop thread once no lease is held any more.
 */
public interface FrameSource {

    /**
     * Reads the next data frame if one is there, without waiting; control traffic (keepalives) is consumed on
     * the way. Called by the current reader only. When the source ends it says why through {@code loop}: {@link FrameEventLoop#closeOrdered} for
     * an orderly end after everything before it (the other side closed, or its process exited and everything
     * it wrote has been read), {@link FrameEventLoop#closeNow} for a failure (a corrupt frame, an I/O error),
     * and returns {@code null}; it is not polled again after that.
     *
     * @return the frame, owned by the caller from now on, or {@code null} if there is none right now
     */
    byte[] poll(FrameEventLoop loop);

    /**
     * The doorbell the writer of this source rings, which the event-loop thread then blocks on when idle instead of
     * polling, or {@code null} (the default): the loop polls, with bounded parks. Closed by {@link #close()}.
     */
    default SourceBell bell() {
        return null;
    }

    /**
     * Releases what the source holds. Called on the event-loop thread when it ends, after the handler's
     * {@code onClose}; may already have been called by the loop's {@code afterClose} action, so idempotent.
     */
    void close();
}
