package dev.fabricembedded.endorser.runtime;

/**
 * A chaincode could not be started: no process, container or in-process connection exists for it and nothing was
 * left behind (its channel directory is deleted). The message names the chaincode and the cause, e.g.
 * {@code cannot start chaincode mycc:1.0: package jar /data/mycc.jar does not exist}; Fabric's launch wraps it as
 * {@code error starting container: <message>}.
 *
 * <p>A chaincode that starts and then fails (a bad jar, a missing class) is not reported here but through
 * {@link RunningChaincode#exit()}, as Fabric learns it from the container's exit.
 */
public final class ChaincodeStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChaincodeStartException(final String message) {
        super(message);
    }

    public ChaincodeStartException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
