package dev.fabricembedded.endorser.chaincode;

import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * What a chaincode answered with COMPLETED: its response (any status: the endorser decides what a status means) and
 * the event it set, if any, whose {@code chaincode_id} and {@code tx_id} the peer has overwritten with the chaincode
 * name and transaction id, as Fabric does so that a chaincode cannot forge them. Immutable.
 */
public final class ChaincodeResult {

    private final Response response;
    private final ChaincodeEvent event;

    ChaincodeResult(final Response response, final ChaincodeEvent event) {
        this.response = Objects.requireNonNull(response, "response");
        this.event = event;
    }

    /** The chaincode's response. */
    public Response response() {
        return response;
    }

    /** The chaincode event, if the chaincode set one. */
    public Optional<ChaincodeEvent> event() {
        return Optional.ofNullable(event);
    }

    @Override
    public String toString() {
        return "ChaincodeResult{status=" + response.getStatus() + ", message=" + response.getMessage()
                + (event == null ? "" : ", event=" + event.getEventName()) + "}";
    }
}
