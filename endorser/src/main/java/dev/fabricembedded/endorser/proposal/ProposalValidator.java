package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.ValidationResult;
import dev.fabricembedded.msp.crypto.VerificationResult;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

import static dev.fabricembedded.endorser.proposal.ProposalValidation.Code;
import static dev.fabricembedded.endorser.proposal.ProposalValidation.failure;

/**
 * Fabric 1.4's {@code ValidateProposalMessage} (fabric-1.4-flow.md §1.2): the checks a peer runs on every proposal
 * before anything else, in Fabric's order and with its texts, so a client sees the same first error as from a
 * Fabric peer:
 * <ol>
 *   <li>a signed proposal is given ({@code nil arguments});</li>
 *   <li>{@code proposal_bytes} parses as a {@code Proposal}; 3. its header as a {@code Header};
 *       4. the channel header, then the signature header;</li>
 *   <li value="5">the header type is CONFIG, CONFIG_UPDATE, ENDORSER_TRANSACTION or TOKEN_TRANSACTION;
 *       6. the epoch is 0; 7. the nonce and 8. the creator are not empty;</li>
 *   <li value="9">the creator deserializes with the channel's MSPs (the local MSP for channel {@code ""}), is valid,
 *       and signed {@code proposal_bytes}; every failure, an unknown channel included, gives the same
 *       {@code access denied: channel [<ch>] creator org [<mspid>]} so that nobody can probe which channels exist,
 *       and the reason goes to the log only;</li>
 *   <li value="10">the txid is {@link TxId#compute H(nonce ‖ creator)};</li>
 *   <li value="11">the type carries chaincode (CONFIG or ENDORSER_TRANSACTION);</li>
 *   <li value="12">the header extension parses, 13. names a chaincode, 14. has no payload visibility.</li>
 * </ol>
 * Timestamps, header version and TLS binding are not checked, as in Fabric 1.4. Immutable and thread-safe (the
 * deserializers are).
 */
public final class ProposalValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ProposalValidator.class);

    private final IdentityDeserializer localMsp;
    private final IdentityDeserializers channels;

    /**
     * @param localMsp the peer's local MSP, which checks creators of channel-less proposals ({@code install} ...)
     * @param channels the deserializers of the joined channels
     */
    public ProposalValidator(final IdentityDeserializer localMsp, final IdentityDeserializers channels) {
        this.localMsp = Objects.requireNonNull(localMsp, "localMsp");
        this.channels = Objects.requireNonNull(channels, "channels");
    }

    /** Runs the checks in order and returns the first failure, or the validated proposal. */
    public ProposalValidation validate(final SignedProposal signedProposal) {
        if (signedProposal == null) {
            return failure(Code.NIL_ARGUMENTS, "nil arguments");
        }
        final Proposal proposal;
        final Header header;
        final ChannelHeader channelHeader;
        final SignatureHeader signatureHeader;
        try {
            proposal = Proposal.parseFrom(signedProposal.getProposalBytes());
        } catch (InvalidProtocolBufferException e) {
            return failure(Code.BAD_PROPOSAL, "error unmarshaling Proposal: " + e.getMessage());
        }
        try {
            header = Header.parseFrom(proposal.getHeader());
        } catch (InvalidProtocolBufferException e) {
            return failure(Code.BAD_HEADER, "error unmarshaling Header: " + e.getMessage());
        }
        try {
            channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            return failure(Code.BAD_CHANNEL_HEADER, "error unmarshaling ChannelHeader: " + e.getMessage());
        }
        try {
            signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return failure(Code.BAD_SIGNATURE_HEADER, "error unmarshaling SignatureHeader: " + e.getMessage());
        }

        final int type = channelHeader.getType();
        if (type != HeaderTypes.CONFIG && type != HeaderTypes.CONFIG_UPDATE
                && type != HeaderTypes.ENDORSER_TRANSACTION && type != HeaderTypes.TOKEN_TRANSACTION) {
            return failure(Code.INVALID_HEADER_TYPE, "invalid header type " + HeaderTypes.name(type));
        }
        if (channelHeader.getEpoch() != 0) {
            return failure(Code.INVALID_EPOCH, "invalid Epoch in ChannelHeader. Expected 0, got ["
                    + Long.toUnsignedString(channelHeader.getEpoch()) + "]");
        }
        if (signatureHeader.getNonce().isEmpty()) {
            return failure(Code.INVALID_NONCE, "invalid nonce specified in the header");
        }
        if (signatureHeader.getCreator().isEmpty()) {
            return failure(Code.INVALID_CREATOR, "invalid creator specified in the header");
        }

        final String channelId = channelHeader.getChannelId();
        final CreatorCheck creatorCheck = checkSignatureFromCreator(signatureHeader.getCreator(),
                signedProposal.getSignature(), signedProposal.getProposalBytes(), channelId);
        if (creatorCheck.identity() == null) {
            LOG.warn("channel [{}]: {}", channelId, creatorCheck.error());
            return failure(Code.ACCESS_DENIED, "access denied: channel [" + channelId + "] creator org ["
                    + mspIdOf(signatureHeader.getCreator(), channelId) + "]");
        }

        final String expectedTxId = TxId.compute(signatureHeader.getNonce(), signatureHeader.getCreator());
        if (!expectedTxId.equals(channelHeader.getTxId())) {
            return failure(Code.INVALID_TXID,
                    "invalid txid. got [" + channelHeader.getTxId() + "], expected [" + expectedTxId + "]");
        }

        if (type != HeaderTypes.CONFIG && type != HeaderTypes.ENDORSER_TRANSACTION) {
            return failure(Code.UNSUPPORTED_PROPOSAL_TYPE, "unsupported proposal type " + type);
        }

        final ChaincodeHeaderExtension extension;
        final boolean visibilityPresent;
        try {
            extension = ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension());
            visibilityPresent = hasPayloadVisibility(channelHeader.getExtension());
        } catch (IOException e) {
            return failure(Code.INVALID_HEADER_EXTENSION, "invalid header extension for type CHAINCODE");
        }
        if (!extension.hasChaincodeId()) {
            return failure(Code.NIL_CHAINCODE_ID, "ChaincodeHeaderExtension.ChaincodeId is nil");
        }
        if (visibilityPresent) {
            return failure(Code.INVALID_PAYLOAD_VISIBILITY, "invalid payload visibility field");
        }
        return ProposalValidation.valid(new ValidatedProposal(signedProposal, proposal, header, channelHeader,
                signatureHeader, extension, creatorCheck.identity()));
    }

    /** The creator, or why it cannot be trusted with this proposal (Fabric's {@code checkSignatureFromCreator}). */
    private record CreatorCheck(Identity identity, String error) {
    }

    private CreatorCheck checkSignatureFromCreator(final ByteString creator, final ByteString signature,
            final ByteString message, final String channelId) {
        final Optional<IdentityDeserializer> deserializer = channelId.isEmpty()
                ? Optional.of(localMsp) : channels.forChannel(channelId);
        if (deserializer.isEmpty()) {
            return new CreatorCheck(null, "MSP error: channel doesn't exist");
        }
        final Identity identity;
        try {
            identity = deserializer.get().deserializeIdentity(creator);
        } catch (InvalidIdentityException e) {
            return new CreatorCheck(null, "MSP error: " + e.getMessage());
        }
        final ValidationResult validation = identity.validate();
        if (!validation.isValid()) {
            return new CreatorCheck(null, "creator certificate is not valid: " + validation.message());
        }
        // remembered: the peer/Propose ACL evaluates the same signed data next and then recalls instead of verifying
        final VerificationResult verification = identity.verifyAndRemember(message, signature);
        if (!verification.isValid()) {
            return new CreatorCheck(null, "creator's signature over the proposal is not valid: "
                    + verification.message());
        }
        return new CreatorCheck(identity, null);
    }

    /** The creator's mspid for the generic error, empty when the creator is not a {@code SerializedIdentity}. */
    private static String mspIdOf(final ByteString creator, final String channelId) {
        try {
            return SerializedIdentity.parseFrom(creator).getMspid();
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("channel [{}]: could not deserialize a SerializedIdentity: {}", channelId, e.getMessage());
            return "";
        }
    }

    /**
     * Whether field 1 ({@code payload_visibility}) is present in the extension bytes. Go sees any occurrence, even
     * an empty one, as a non-nil slice; the generated Java class no longer has the field, so scan the wire.
     */
    private static boolean hasPayloadVisibility(final ByteString extension) throws IOException {
        final CodedInputStream in = extension.newCodedInput();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                return true;
            }
            if (!in.skipField(tag)) {
                return false;
            }
        }
        return false;
    }
}
