package dev.fabricembedded.endorser;

import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A proposal that passed Fabric's message validation (§1.2), with its parsed parts.
 *
 * @param signed          the proposal as received
 * @param proposal        its {@code proposal_bytes}, parsed
 * @param header          the proposal's header
 * @param channelHeader   the header's channel header
 * @param signatureHeader the header's signature header (creator, nonce)
 * @param extension       the chaincode header extension: the target chaincode is its {@code chaincode_id.name}
 */
record ValidatedProposal(SignedProposal signed, Proposal proposal, Header header, ChannelHeader channelHeader,
        SignatureHeader signatureHeader, ChaincodeHeaderExtension extension) {

    String channelId() {
        return channelHeader.getChannelId();
    }

    String txId() {
        return channelHeader.getTxId();
    }

    String chaincodeName() {
        return extension.getChaincodeId().getName();
    }
}
