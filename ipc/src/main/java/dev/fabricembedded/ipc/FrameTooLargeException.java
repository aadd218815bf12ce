package dev.fabricembedded.ipc;

/** Thrown by {@link FrameChannel#send} for a frame above the channel's maximum size; nothing was sent. */
public final class FrameTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FrameTooLargeException(String channel, int size, int max) {
        super("frame of " + size + " bytes exceeds the maximum frame size of " + max + " bytes on channel " + channel);
    }
}
