package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.policy.SignedData;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.util.List;
import java.util.Objects;

/**
 * A proposal that passed {@link ProposalValidator}: well-formed headers, a creator the channel's MSPs accept, a valid
 * signature over {@code proposal_bytes}, the right txid and a chaincode header extension. Holds the parts parsed
 * on the way so that the endorser never parses them again. Immutable.
 *
 * @param signedProposal  the proposal as received
 * @param proposal        its {@code proposal_bytes}, parsed
 * @param header          the proposal's header
 * @param channelHeader   the channel header
 * @param signatureHeader the signature header
 * @param headerExtension the chaincode header extension; its {@code chaincode_id.name} is the target chaincode
 * @param creator         the creator, deserialized by the channel's MSPs (the local MSP for channel {@code ""})
 */
public record ValidatedProposal(SignedProposal signedProposal, Proposal proposal, Header header,
        ChannelHeader channelHeader, SignatureHeader signatureHeader, ChaincodeHeaderExtension headerExtension,
        Identity creator) {

    public ValidatedProposal {
        Objects.requireNonNull(signedProposal, "signedProposal");
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(channelHeader, "channelHeader");
        Objects.requireNonNull(signatureHeader, "signatureHeader");
        Objects.requireNonNull(headerExtension, "headerExtension");
        Objects.requireNonNull(creator, "creator");
    }

    /** The channel id ({@code ""} for a channel-less proposal). */
    public String channelId() {
        return channelHeader.getChannelId();
    }

    /** The transaction id. */
    public String txId() {
        return channelHeader.getTxId();
    }

    /** The target chaincode: the header extension's chaincode name (the payload's chaincode id is ignored). */
    public String chaincodeName() {
        return headerExtension.getChaincodeId().getName();
    }

    /** The creator's serialized identity, as in the signature header. */
    public ByteString creatorBytes() {
        return signatureHeader.getCreator();
    }

    /**
     * The proposal's signed data {@code [{proposal_bytes, creator, signature}]}, what ACLs and the instantiation
     * policy are evaluated against.
     */
    public List<SignedData> signedData() {
        return List.of(new SignedData(signedProposal.getProposalBytes(), signatureHeader.getCreator(),
                signedProposal.getSignature()));
    }

    /**
     * The proposal payload.
     *
     * @throws InvalidProtocolBufferException if the payload is not a {@code ChaincodeProposalPayload}
     */
    public ChaincodeProposalPayload chaincodeProposalPayload() throws InvalidProtocolBufferException {
        return ChaincodeProposalPayload.parseFrom(proposal.getPayload());
    }

    /**
     * The invocation spec carried in the payload's input; its {@code chaincode_spec.input} holds the arguments.
     *
     * @throws InvalidProtocolBufferException if the payload or its input does not parse
     */
    public ChaincodeInvocationSpec invocationSpec() throws InvalidProtocolBufferException {
        return ChaincodeInvocationSpec.parseFrom(chaincodeProposalPayload().getInput());
    }
}
