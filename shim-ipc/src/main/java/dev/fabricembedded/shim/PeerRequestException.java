package dev.fabricembedded.shim;

import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The peer answered a request made through the {@link ChaincodeStub} with {@code ERROR}, or the request could not
 * be completed (the channel to the peer closed while waiting, the transaction had already completed).
 *
 * <p>The message is the peer's error text as sent, e.g. {@code GET_STATE failed: transaction ID: 1a2b: no ledger
 * context}, so that a chaincode can pass it on unchanged (Fabric's Go shim does the same). Left uncaught it fails
 * the invocation: the shim answers the transaction with {@code ERROR}.
 */
public final class PeerRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ChaincodeMessage.Type requestType;

    public PeerRequestException(final ChaincodeMessage.Type requestType, final String message) {
        super(message);
        this.requestType = requestType;
    }

    public PeerRequestException(final ChaincodeMessage.Type requestType, final String message, final Throwable cause) {
        super(message, cause);
        this.requestType = requestType;
    }

    /** The type of the request that failed ({@code GET_STATE}, {@code QUERY_STATE_NEXT}...). */
    public ChaincodeMessage.Type requestType() {
        return requestType;
    }
}
