package dev.fabricembedded.scc.lscc;

/** A failed LSCC call; its message is Fabric's text and becomes the {@code 500} response's message. */
final class LsccException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LsccException(String message) {
        super(message);
    }
}
