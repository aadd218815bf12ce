package dev.fabricembedded.scc.escc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * What an {@link EndorsementPlugin} endorses: the proposal it answers and the outcome of its simulation (Fabric's
 * {@code endorser.Context}).
 *
 * @param channelId         the channel of the proposal
 * @param header            the proposal's header; its {@code channel_header} and {@code signature_header} bytes
 *                          are hashed exactly as they are
 * @param proposalInput     {@code ChaincodeProposalPayload.input} of the proposal, exactly as received (the
 *                          transient map is never part of an endorsement)
 * @param response          the chaincode's response
 * @param simulationResults the serialized public {@code TxReadWriteSet}
 * @param event             the serialized {@code ChaincodeEvent}, or empty
 * @param chaincodeId       the invoked chaincode with the version to endorse (the ledger version for an application
 *                          chaincode, the peer version for a system chaincode)
 */
public record EndorsementContext(String channelId, Header header, ByteString proposalInput, Response response,
                                 ByteString simulationResults, ByteString event, ChaincodeID chaincodeId) {

    /** Null byte strings are taken as empty; the header, response and chaincode id are required. */
    public EndorsementContext {
        channelId = Objects.requireNonNullElse(channelId, "");
        Objects.requireNonNull(header, "header");
        proposalInput = Objects.requireNonNullElse(proposalInput, ByteString.EMPTY);
        Objects.requireNonNull(response, "response is nil");
        simulationResults = Objects.requireNonNullElse(simulationResults, ByteString.EMPTY);
        event = Objects.requireNonNullElse(event, ByteString.EMPTY);
        Objects.requireNonNull(chaincodeId, "chaincodeId");
    }

    /**
     * A context from a parsed proposal: its header and the input of its {@code ChaincodeProposalPayload}.
     *
     * @throws InvalidProtocolBufferException when the proposal's header or payload does not parse
     */
    public static EndorsementContext of(String channelId, Proposal proposal, Response response,
                                        ByteString simulationResults, ByteString event, ChaincodeID chaincodeId)
            throws InvalidProtocolBufferException {
        Header header = Header.parseFrom(proposal.getHeader());
        ByteString input = ChaincodeProposalPayload.parseFrom(proposal.getPayload()).getInput();
        return new EndorsementContext(channelId, header, input, response, simulationResults, event, chaincodeId);
    }
}
