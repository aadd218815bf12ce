package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.util.function.UnaryOperator;

/** Alters signed proposals the way an attacker or a broken client would, re-signing where a real signer could. */
final class Tampering {

    private Tampering() {
    }

    /** {@code proposal_bytes} replaced and signed by {@code signer}. */
    static SignedProposal signed(final SigningIdentity signer, final ByteString proposalBytes) {
        return SignedProposal.newBuilder().setProposalBytes(proposalBytes)
                .setSignature(ByteString.copyFrom(signer.sign(proposalBytes.toByteArray()))).build();
    }

    /** The proposal with its header replaced, re-signed. */
    static SignedProposal withHeader(final SigningIdentity signer, final ClientProposal proposal,
            final ByteString headerBytes) {
        return signed(signer, proposal.proposal().toBuilder().setHeader(headerBytes).build().toByteString());
    }

    /** The proposal with its channel header changed, re-signed. */
    static SignedProposal withChannelHeader(final SigningIdentity signer, final ClientProposal proposal,
            final UnaryOperator<ChannelHeader.Builder> change) {
        final ChannelHeader channelHeader = change.apply(proposal.channelHeader().toBuilder()).build();
        final Header header = proposal.header().toBuilder().setChannelHeader(channelHeader.toByteString()).build();
        return withHeader(signer, proposal, header.toByteString());
    }

    /** The signature with one bit flipped in its last byte. */
    static SignedProposal flipSignatureBit(final SignedProposal signed) {
        final byte[] signature = signed.getSignature().toByteArray();
        signature[signature.length - 1] ^= 0x01;
        return signed.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    }

    /** The proposal bytes with one byte of the payload changed, signature kept. */
    static SignedProposal alterPayload(final SignedProposal signed) throws InvalidProtocolBufferException {
        final Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
        final byte[] payload = proposal.getPayload().toByteArray();
        payload[payload.length - 1] ^= 0x01;
        return signed.toBuilder().setProposalBytes(proposal.toBuilder().setPayload(ByteString.copyFrom(payload))
                .build().toByteString()).build();
    }
}
