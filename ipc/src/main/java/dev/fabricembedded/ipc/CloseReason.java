package dev.fabricembedded.ipc;

import java.util.Objects;

/**
 * Why a {@link FrameChannel} closed: a kind for programs and a message naming the cause for people.
 *
 * @param kind    the category of the cause
 * @param message a human-readable description, e.g. {@code chaincode process 4242 exited with status 137}
 */
public record CloseReason(Kind kind, String message) {

    /** Categories of channel closure. */
    public enum Kind {
        /** {@link FrameChannel#close()} was called on this end. */
        LOCAL_CLOSE,
        /** The other end closed its side in an orderly way. */
        REMOTE_CLOSE,
        /** The other end's process is known to have exited. */
        REMOTE_PROCESS_EXITED,
        /** No keepalive or frame arrived from the other end within the liveness timeout. */
        KEEPALIVE_TIMEOUT,
        /** A corrupt or truncated frame was read; the stream cannot be trusted any more. */
        CORRUPT_FRAME,
        /** The frame handler threw. */
        HANDLER_FAILED,
        /** An I/O error on the underlying transport. */
        IO_ERROR
    }

    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
