package dev.fabricembedded.peer.committer;

import dev.fabricembedded.scc.vscc.EndorserTransaction;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;

/**
 * The parts of an endorser transaction parsed by the structural checks of §6.2 (steps 1-6b), handed on to VSCC and
 * to the chaincode-instance extraction and to the validation plugins ({@link #forValidation}) so that no part of the
 * envelope is parsed twice on the commit path.
 *
 * @param envelope        the envelope
 * @param payload         its payload
 * @param channelHeader   the payload's channel header
 * @param signatureHeader the payload's signature header (creator and nonce)
 * @param actionPayload   the single action's {@code ChaincodeActionPayload}
 * @param responsePayload the endorsed {@code ProposalResponsePayload}
 */
record EndorserTransactionParts(Envelope envelope, Payload payload, ChannelHeader channelHeader,
                                SignatureHeader signatureHeader, ChaincodeActionPayload actionPayload,
                                ProposalResponsePayload responsePayload) {

    /** The parts validation plugins read, so that they do not parse the envelope again. */
    EndorserTransaction forValidation() {
        return new EndorserTransaction(envelope, payload, channelHeader, actionPayload);
    }
}
