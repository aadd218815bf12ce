package dev.fabricembedded.gateway;

import java.io.Serial;

/**
 * A peer did not endorse a proposal: it rejected the proposal before simulation (Fabric's gRPC error, e.g.
 * {@code access denied: channel [mychannel] creator org [Org1MSP]}; {@link #status()} is then 0), or it answered with
 * a status of 400 or more (e.g. {@code 500 transaction returned with failure: Entity not found}).
 * {@link #responseMessage()} is the peer's text exactly as Fabric words it.
 */
public final class EndorseException extends GatewayException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String peerName;
    private final int status;
    private final String responseMessage;

    EndorseException(final String txId, final String peerName, final int status, final String responseMessage,
            final Throwable cause) {
        super(txId, "endorsement failed on peer " + peerName + ": "
                + (status == 0 ? "" : "status " + status + ", ") + responseMessage, cause);
        this.peerName = peerName;
        this.status = status;
        this.responseMessage = responseMessage;
    }

    /** The peer that refused. */
    public String peerName() {
        return peerName;
    }

    /** The response status; 0 when the proposal was rejected without a response. */
    public int status() {
        return status;
    }

    /** The peer's message, Fabric's text. */
    public String responseMessage() {
        return responseMessage;
    }
}
