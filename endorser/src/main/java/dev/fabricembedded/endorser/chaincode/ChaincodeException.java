package dev.fabricembedded.endorser.chaincode;

/**
 * A chaincode could not be launched or executed, or a chaincode request could not be served. The message is Fabric's
 * text for the failure, wrapped the way Fabric wraps it (e.g. {@code failed to execute transaction 3f2a..: error
 * sending: timeout expired while executing transaction}, {@code transaction returned with failure: Incorrect number of
 * arguments. Expecting 4}), because the endorser returns it to the client as the message of a status 500 response and
 * Fabric users and tools match on those texts.
 *
 * <p>Checked on purpose: every caller (the endorser, the peer-side handler serving a chaincode-to-chaincode call) must
 * turn it into a response, never let it escape as a crash.
 */
public final class ChaincodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChaincodeException(final String message) {
        super(message);
    }

    public ChaincodeException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /** A new exception whose message is {@code prefix + ": " + this message}, as Go's {@code errors.Wrap}. */
    public ChaincodeException wrap(final String prefix) {
        return new ChaincodeException(prefix + ": " + getMessage(), this);
    }
}
