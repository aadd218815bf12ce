package dev.fabricembedded.shim.scripted;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Builds the signed proposals a peer forwards with INIT and TRANSACTION, laid out as Fabric's
 * {@code CreateChaincodeProposal} does. The signature is not checked by the shim, so a fixed one is used.
 */
public final class Proposals {

    private Proposals() {
    }

    /** A serialized identity as Fabric puts it in a signature header. */
    public static ByteString creator(final String mspId, final String certificatePem) {
        return SerializedIdentity.newBuilder().setMspid(mspId).setIdBytes(ByteString.copyFromUtf8(certificatePem))
                .build().toByteString();
    }

    /** A signed ENDORSER_TRANSACTION proposal with the given header fields and transient map. */
    public static SignedProposal signed(final String channelId, final String txId, final ByteString creator,
            final ByteString nonce, final long epoch, final Instant timestamp, final Map<String, ByteString> transientMap) {
        final ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId)
                .setTxId(txId)
                .setEpoch(epoch)
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(timestamp.getNano()))
                .build();
        final SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(creator).setNonce(nonce).build();
        final Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()).build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().putAllTransientMap(transientMap).build().toByteString())
                .build();
        return SignedProposal.newBuilder().setProposalBytes(proposal.toByteString())
                .setSignature(ByteString.copyFromUtf8("not-checked-by-the-shim")).build();
    }
}
