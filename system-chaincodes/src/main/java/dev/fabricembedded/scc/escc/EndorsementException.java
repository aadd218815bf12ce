package dev.fabricembedded.scc.escc;

/**
 * An endorsement could not be produced. The message is Fabric's text (e.g.
 * {@code plugin with name X could not be used: plugin with name X wasn't found}); the endorser answers the client
 * with status 500 and this message.
 */
public class EndorsementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error with Fabric's message. */
    public EndorsementException(String message) {
        super(message);
    }

    /** An error with Fabric's message and its cause. */
    public EndorsementException(String message, Throwable cause) {
        super(message, cause);
    }
}
