package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.Sha256;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Builds real signed proposals as a Fabric client does (§1.10 of the reference: 24-byte nonce, txid =
 * hex(SHA-256(nonce ‖ creator)), the chaincode in the header extension, a {@code ChaincodeInvocationSpec} payload),
 * with knobs to break one rule at a time.
 */
final class TestProposal {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningIdentity creator;
    private final String channel;
    private final String chaincode;
    private final List<ByteString> args = new ArrayList<>();
    private String txId;
    private long epoch;
    private int type = HeaderType.ENDORSER_TRANSACTION_VALUE;
    private boolean payloadVisibility;
    private boolean tamperSignature;

    private TestProposal(final SigningIdentity creator, final String channel, final String chaincode) {
        this.creator = creator;
        this.channel = channel;
        this.chaincode = chaincode;
    }

    static TestProposal of(final SigningIdentity creator, final String channel, final String chaincode,
            final String... args) {
        final TestProposal proposal = new TestProposal(creator, channel, chaincode);
        for (final String arg : args) {
            proposal.args.add(ByteString.copyFromUtf8(arg));
        }
        return proposal;
    }

    TestProposal arg(final ByteString bytes) {
        args.add(bytes);
        return this;
    }

    TestProposal txId(final String id) {
        this.txId = id;
        return this;
    }

    TestProposal epoch(final long value) {
        this.epoch = value;
        return this;
    }

    TestProposal type(final int headerType) {
        this.type = headerType;
        return this;
    }

    /** Sets Fabric 1.4's {@code ChaincodeHeaderExtension.payload_visibility} (field 1). */
    TestProposal payloadVisibility() {
        this.payloadVisibility = true;
        return this;
    }

    TestProposal tamperSignature() {
        this.tamperSignature = true;
        return this;
    }

    /** The signed proposal and its parts. */
    record Built(SignedProposal signed, Proposal proposal, ChannelHeader channelHeader,
            SignatureHeader signatureHeader, ByteString input) {
        String txId() {
            return channelHeader.getTxId();
        }
    }

    Built build() {
        final byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        final ByteString creatorBytes = ByteString.copyFrom(creator.serialize());
        final String id = txId != null ? txId : Sha256.hexDigest(ByteString.copyFrom(nonce).concat(creatorBytes)
                .toByteArray());
        final ChaincodeID chaincodeId = ChaincodeID.newBuilder().setName(chaincode).build();
        ChaincodeHeaderExtension extension = ChaincodeHeaderExtension.newBuilder().setChaincodeId(chaincodeId).build();
        if (payloadVisibility) {
            extension = extension.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(1, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8("partial")).build()).build()).build();
        }
        final Instant now = Instant.now();
        final ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(type).setChannelId(channel).setTxId(id).setEpoch(epoch)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setExtension(extension.toByteString())
                .build();
        final SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(creatorBytes)
                .setNonce(ByteString.copyFrom(nonce)).build();
        final ChaincodeInvocationSpec invocation = ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(chaincodeId).setInput(ChaincodeInput.newBuilder().addAllArgs(args)))
                .build();
        final ByteString input = invocation.toByteString();
        final Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()).build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().setInput(input)
                        .putTransientMap("secret", ByteString.copyFromUtf8("never endorsed")).build().toByteString())
                .build();
        final byte[] signature = creator.sign(proposal.toByteArray());
        if (tamperSignature) {
            signature[signature.length - 1] ^= 0x01;
        }
        return new Built(SignedProposal.newBuilder().setProposalBytes(proposal.toByteString())
                .setSignature(ByteString.copyFrom(signature)).build(), proposal, channelHeader, signatureHeader, input);
    }
}
