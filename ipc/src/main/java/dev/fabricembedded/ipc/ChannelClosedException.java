package dev.fabricembedded.ipc;

/** Thrown when sending on a {@link FrameChannel} that is closed; carries why it closed. */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient CloseReason reason;

    public ChannelClosedException(String channel, CloseReason reason) {
        super("channel " + channel + " is closed (" + reason + ")");
        this.reason = reason;
    }

    /** Why the channel closed. */
    public CloseReason reason() {
        return reason;
    }
}
