package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.util.Objects;

/**
 * A proposal as its client built it: the {@link SignedProposal} to send to endorsers, and the parts the client needs
 * afterwards to assemble the transaction ({@link SignedTransactions}) without parsing its own bytes again.
 *
 * <p>The parts are exactly what {@link #signedProposal()} carries: {@code proposal_bytes} is the serialization of
 * {@link #proposal()}, whose {@code header} field holds the serialized {@link #header()}, and so on. Immutable.
 *
 * @param signedProposal          what is sent to the endorsers
 * @param proposal                the signed proposal's {@code proposal_bytes}, parsed
 * @param header                  the proposal's header
 * @param channelHeader           the header's channel header
 * @param signatureHeader         the header's signature header (creator and nonce)
 * @param chaincodeProposalPayload the proposal's payload (input and transient map)
 * @param txId                    the transaction id the channel header carries
 */
public record ClientProposal(SignedProposal signedProposal, Proposal proposal, Header header,
        ChannelHeader channelHeader, SignatureHeader signatureHeader,
        ChaincodeProposalPayload chaincodeProposalPayload, String txId) {

    public ClientProposal {
        Objects.requireNonNull(signedProposal, "signedProposal");
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(channelHeader, "channelHeader");
        Objects.requireNonNull(signatureHeader, "signatureHeader");
        Objects.requireNonNull(chaincodeProposalPayload, "chaincodeProposalPayload");
        Objects.requireNonNull(txId, "txId");
    }

    /** The channel the proposal targets ({@code ""} for a channel-less proposal such as {@code install}). */
    public String channelId() {
        return channelHeader.getChannelId();
    }

    /** The creator's serialized identity. */
    public ByteString creator() {
        return signatureHeader.getCreator();
    }

    /** The nonce. */
    public ByteString nonce() {
        return signatureHeader.getNonce();
    }
}
