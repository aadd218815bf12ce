package dev.fabricembedded.scc.ccprovider;

/**
 * A chaincode package, name, version or definition was rejected. The message is Fabric's text for the failure
 * (for example {@code chaincode fingerprint mismatch: data mismatch}), because LSCC and the endorser pass it to the
 * client unchanged.
 */
public class InvalidChaincodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error with Fabric's message. */
    public InvalidChaincodeException(String message) {
        super(message);
    }

    /** An error with Fabric's message and the underlying cause. */
    public InvalidChaincodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
