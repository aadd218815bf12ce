package dev.fabricembedded.scc.escc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.Sha256;
import java.io.IOException;
import java.security.MessageDigest;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;

/**
 * Fabric 1.4's built-in endorsement ({@code DefaultEndorsement}, registered as {@code escc}), with the proposal
 * response payload assembled as the endorser's {@code proposalResponsePayloadFromContext} does:
 * <ol>
 *   <li>a response with status 400 or more is returned as {@code ProposalResponse{response}}, unsigned;</li>
 *   <li>{@code proposal_hash = H(channel_header ‖ signature_header ‖ ChaincodeProposalPayload{input})}, the header
 *   bytes as received and the payload re-encoded without its transient map;</li>
 *   <li>{@code prp = ProposalResponsePayload{proposal_hash, extension = ChaincodeAction{results, events, response,
 *   chaincode_id}}};</li>
 *   <li>{@code endorsement = {endorser = serialized signer, signature = Sign(prp ‖ endorser)}};</li>
 *   <li>{@code ProposalResponse{version = 1, response, payload = prp, endorsement}}.</li>
 * </ol>
 * The messages are serialized by protobuf-java in field-number order with default values omitted and no map fields,
 * which is what Go's marshaler produces, so every endorser (Go or Java) given the same simulation produces the same
 * {@code prp} bytes and clients can compare them. Stateless and thread-safe.
 */
public final class DefaultEndorsement implements EndorsementPlugin {

    /** The registered name. */
    public static final String NAME = "escc";

    @Override
    public ProposalResponse endorse(EndorsementContext context, SigningIdentity endorser) {
        if (context.response().getStatus() >= 400) {
            return ProposalResponse.newBuilder().setResponse(context.response()).build();
        }
        ByteString prp = proposalResponsePayload(context);
        ByteString endorserBytes = ByteString.copyFrom(endorser.serialize());
        byte[] signature;
        try {
            signature = endorser.sign(prp.concat(endorserBytes).toByteArray());
        } catch (RuntimeException e) {
            throw new EndorsementException("could not sign the proposal response payload: " + e.getMessage(), e);
        }
        return ProposalResponse.newBuilder()
                .setVersion(1)
                .setResponse(context.response())
                .setPayload(prp)
                .setEndorsement(Endorsement.newBuilder()
                        .setEndorser(endorserBytes)
                        .setSignature(ByteString.copyFrom(signature)))
                .build();
    }

    /** The {@code prp} bytes for a context (Fabric's {@code GetBytesProposalResponsePayload}). */
    public static ByteString proposalResponsePayload(EndorsementContext context) {
        ChaincodeAction action = ChaincodeAction.newBuilder()
                .setResults(context.simulationResults())
                .setEvents(context.event())
                .setResponse(context.response())
                .setChaincodeId(context.chaincodeId())
                .build();
        return ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(proposalHash(context.header(), context.proposalInput())))
                .setExtension(action.toByteString())
                .build()
                .toByteString();
    }

    /**
     * Fabric's {@code GetProposalHash1} with full visibility:
     * {@code H(channel_header ‖ signature_header ‖ marshal(ChaincodeProposalPayload{input}))}. The re-encoded
     * payload holds only field 1, i.e. {@code 0x0a varint(len) input}, or nothing when the input is empty.
     */
    public static byte[] proposalHash(Header header, ByteString proposalInput) {
        MessageDigest md = Sha256.newDigest();
        Sha256.update(md, header.getChannelHeader());
        Sha256.update(md, header.getSignatureHeader());
        if (!proposalInput.isEmpty()) {
            // the key and length of field 1, then the input itself: no copy of a possibly large input
            byte[] prefix = new byte[1 + CodedOutputStream.computeUInt32SizeNoTag(proposalInput.size())];
            CodedOutputStream out = CodedOutputStream.newInstance(prefix);
            try {
                out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(proposalInput.size());
            } catch (IOException e) {
                throw new IllegalStateException("writing into an exactly sized array cannot fail", e);
            }
            md.update(prefix);
            Sha256.update(md, proposalInput);
        }
        return md.digest();
    }

    @Override
    public String toString() {
        return "DefaultEndorsement";
    }
}
