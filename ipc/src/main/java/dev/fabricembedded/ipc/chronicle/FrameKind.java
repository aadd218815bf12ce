package dev.fabricembedded.ipc.chronicle;

/** What an excerpt of a channel queue carries. Only {@link #DATA} reaches the handler. */
enum FrameKind {
    /** A frame of the owner's, delivered to the other side's handler. */
    DATA(1),
    /** Sent when the sender has been quiet for a keepalive interval; proves it is alive. */
    KEEPALIVE(2),
    /** The sender closed its end in an orderly way; nothing follows. */
    CLOSE(3);

    final byte code;

    FrameKind(int code) {
        this.code = (byte) code;
    }

    static FrameKind of(byte code) {
        for (FrameKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
