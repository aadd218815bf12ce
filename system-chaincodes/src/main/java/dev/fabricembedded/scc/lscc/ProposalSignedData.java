package dev.fabricembedded.scc.lscc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.SignedData;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * The signature of a proposal as policies see it (Fabric's {@code CheckPolicy} / {@code CheckInstantiationPolicy}):
 * {@code {data = proposal_bytes, identity = creator of the signature header, signature}}.
 */
final class ProposalSignedData {

    private ProposalSignedData() {
    }

    static SignedData of(SignedProposal signedProposal) throws InvalidProtocolBufferException {
        Proposal proposal = Proposal.parseFrom(signedProposal.getProposalBytes());
        Header header = Header.parseFrom(proposal.getHeader());
        SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
        return new SignedData(signedProposal.getProposalBytes(), signatureHeader.getCreator(),
                signedProposal.getSignature());
    }
}
