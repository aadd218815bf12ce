package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.ValidationResult;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.scc.channel.ChannelView;
import dev.fabricembedded.scc.channel.ChannelViews;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's {@code ValidateProposalMessage} (§1.2 of the reference), check by check in Fabric's order and with its
 * texts: structure, header type, epoch, nonce, creator, the creator's identity and signature through the channel's
 * MSPs (the local MSP for a chainless proposal), the transaction id, the proposal type and the chaincode header
 * extension.
 *
 * <p>A creator or signature problem is reported to the client only as the generic
 * {@code access denied: channel [<ch>] creator org [<mspid>]} (so that nobody can probe which channels exist); the
 * details go to the log. Thread-safe: the deserializers are.
 */
final class MessageValidation {

    private static final Logger LOG = LoggerFactory.getLogger(MessageValidation.class);
    /** Fabric 1.4's {@code TOKEN_TRANSACTION} header type, which later fabric-protos dropped. */
    private static final int TOKEN_TRANSACTION = 9;
    private static final Set<Integer> VALID_HEADER_TYPES = Set.of(HeaderType.CONFIG_VALUE,
            HeaderType.CONFIG_UPDATE_VALUE, HeaderType.ENDORSER_TRANSACTION_VALUE, TOKEN_TRANSACTION);
    /** {@code ChaincodeHeaderExtension.payload_visibility}, dropped from fabric-protos but still on Fabric 1.4's wire. */
    private static final int PAYLOAD_VISIBILITY_FIELD = 1;

    private final ChannelViews channels;
    private final IdentityDeserializer localMsp;

    MessageValidation(final ChannelViews channels, final IdentityDeserializer localMsp) {
        this.channels = channels;
        this.localMsp = localMsp;
    }

    ValidatedProposal validate(final SignedProposal signed) throws ProposalException {
        if (signed == null) {
            throw bad("nil arguments");
        }
        final Proposal proposal = parse(() -> Proposal.parseFrom(signed.getProposalBytes()), "error unmarshaling Proposal");
        final Header header = parse(() -> Header.parseFrom(proposal.getHeader()), "error unmarshaling Header");
        final ChannelHeader channelHeader = parse(() -> ChannelHeader.parseFrom(header.getChannelHeader()),
                "error unmarshaling ChannelHeader");
        final SignatureHeader signatureHeader = parse(() -> SignatureHeader.parseFrom(header.getSignatureHeader()),
                "error unmarshaling SignatureHeader");
        if (!VALID_HEADER_TYPES.contains(channelHeader.getType())) {
            throw bad("invalid header type " + typeName(channelHeader.getType()));
        }
        if (channelHeader.getEpoch() != 0) {
            throw bad("invalid Epoch in ChannelHeader. Expected 0, got [" + Long.toUnsignedString(channelHeader.getEpoch())
                    + "]");
        }
        if (signatureHeader.getNonce().isEmpty()) {
            throw bad("invalid nonce specified in the header");
        }
        if (signatureHeader.getCreator().isEmpty()) {
            throw bad("invalid creator specified in the header");
        }
        checkSignatureFromCreator(signatureHeader.getCreator(), signed.getSignature(), signed.getProposalBytes(),
                channelHeader.getChannelId());
        final String expectedTxId = Sha256.hexDigest(signatureHeader.getNonce().concat(signatureHeader.getCreator())
                .toByteArray());
        if (!expectedTxId.equals(channelHeader.getTxId())) {
            throw new ProposalException(ProposalException.Reason.BAD_TXID, "invalid txid. got ["
                    + channelHeader.getTxId() + "], expected [" + expectedTxId + "]");
        }
        // CONFIG falls through to ENDORSER_TRANSACTION in Fabric
        if (channelHeader.getType() != HeaderType.CONFIG_VALUE
                && channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            throw new ProposalException(ProposalException.Reason.UNSUPPORTED_TYPE, "unsupported proposal type "
                    + channelHeader.getType());
        }
        final ChaincodeHeaderExtension extension;
        try {
            extension = ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension());
        } catch (InvalidProtocolBufferException e) {
            throw bad("invalid header extension for type CHAINCODE");
        }
        if (!extension.hasChaincodeId()) {
            throw bad("ChaincodeHeaderExtension.ChaincodeId is nil");
        }
        if (extension.getUnknownFields().hasField(PAYLOAD_VISIBILITY_FIELD)) {
            throw bad("invalid payload visibility field");
        }
        return new ValidatedProposal(signed, proposal, header, channelHeader, signatureHeader, extension);
    }

    /** Fabric's {@code checkSignatureFromCreator}, reported as the generic access-denied text. */
    private void checkSignatureFromCreator(final ByteString creator, final ByteString signature,
            final ByteString proposalBytes, final String channelId) throws ProposalException {
        final String problem = signatureProblem(creator, signature, proposalBytes, channelId);
        if (problem == null) {
            return;
        }
        LOG.warn("channel [{}]: {}", channelId, problem);
        String mspId = "";
        try {
            mspId = SerializedIdentity.parseFrom(creator).getMspid();
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("channel [{}]: could not deserialize a SerializedIdentity: {}", channelId, e.getMessage());
        }
        throw new ProposalException(ProposalException.Reason.ACCESS_DENIED, "access denied: channel [" + channelId
                + "] creator org [" + mspId + "]");
    }

    private String signatureProblem(final ByteString creator, final ByteString signature,
            final ByteString proposalBytes, final String channelId) {
        final IdentityDeserializer deserializer = channelId.isEmpty() ? localMsp
                : channels.channel(channelId).map(ChannelView::deserializer).orElse(null);
        if (deserializer == null) {
            return "could not get msp for channel [" + channelId + "]";
        }
        final Identity identity;
        try {
            identity = deserializer.deserializeIdentity(creator);
        } catch (InvalidIdentityException e) {
            return "MSP error: " + e.getMessage();
        }
        final ValidationResult valid = identity.validate();
        if (!valid.isValid()) {
            return "creator certificate is not valid: " + valid.message();
        }
        final VerificationResult verified = identity.verify(proposalBytes, signature);
        if (!verified.isValid()) {
            return "creator's signature over the proposal is not valid: " + verified.message();
        }
        return null;
    }

    private static String typeName(final int type) {
        if (type == TOKEN_TRANSACTION) {
            return "TOKEN_TRANSACTION";
        }
        final HeaderType known = HeaderType.forNumber(type);
        return known == null ? Integer.toString(type) : known.name();
    }

    private static ProposalException bad(final String message) {
        return new ProposalException(ProposalException.Reason.BAD_PROPOSAL, message);
    }

    /** A protobuf parse. */
    @FunctionalInterface
    private interface Parse<T> {
        T run() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(final Parse<T> parse, final String what) throws ProposalException {
        try {
            return parse.run();
        } catch (InvalidProtocolBufferException e) {
            throw new ProposalException(ProposalException.Reason.BAD_PROPOSAL, what + ": " + e.getMessage(), e);
        }
    }
}
