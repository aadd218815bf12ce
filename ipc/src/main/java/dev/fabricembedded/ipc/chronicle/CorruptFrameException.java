package dev.fabricembedded.ipc.chronicle;

/** An excerpt that is not a well-formed frame: the stream cannot be trusted past it. */
final class CorruptFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptFrameException(String message) {
        super(message);
    }
}
