package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import dev.fabricembedded.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds and signs a chaincode proposal the way Fabric's clients do ({@code protos/utils/proputils.go},
 * fabric-1.4-flow.md §1.10), so that what a Fabric SDK, the {@code peer} CLI and this library send is the same:
 * <ul>
 *   <li>nonce = 24 random bytes, txid = {@link TxId#compute lowercase hex H(nonce ‖ creator)};</li>
 *   <li>{@code ChannelHeader{type = ENDORSER_TRANSACTION, version 0, timestamp = now (UTC), channel_id, tx_id,
 *       epoch 0, extension = ChaincodeHeaderExtension{chaincode_id}}};</li>
 *   <li>{@code SignatureHeader{creator = SerializedIdentity, nonce}};</li>
 *   <li>payload = {@code ChaincodeProposalPayload{input = ChaincodeInvocationSpec, transient_map}};</li>
 *   <li>{@code SignedProposal{proposal_bytes, signature = Sign(proposal_bytes)}} by the creator's signing identity.</li>
 * </ul>
 * The lifecycle factories lay out LSCC's arguments as the CLI does: {@code install} on channel {@code ""} with
 * {@code [install, package]}; {@code deploy}/{@code upgrade} with {@code [deploy|upgrade, channel, CDS, policy?,
 * escc?, vscc?, collections?]} (§2.3).
 *
 * <p>The header fields a well-behaved client never changes (type, epoch, txid, nonce, timestamp, payload
 * visibility) can be set too: tools and tests use them to check that a peer rejects what it must. A builder is
 * not thread-safe; {@link #build} can be called repeatedly, each call drawing a fresh nonce unless one was set.
 */
public final class ProposalBuilder {

    /** Fabric's nonce length ({@code crypto.NonceSize}). */
    public static final int NONCE_SIZE = 24;

    /** The name of the lifecycle system chaincode that {@code install}, {@code deploy} and {@code upgrade} target. */
    public static final String LSCC = "lscc";

    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();

    private final String channelId;
    private final String chaincodeName;
    private String chaincodeVersion = "";
    private ChaincodeSpec.Type chaincodeType = ChaincodeSpec.Type.GOLANG;
    private final List<ByteString> args = new ArrayList<>();
    private final Map<String, ByteString> transientMap = new LinkedHashMap<>();
    private int headerType = HeaderType.ENDORSER_TRANSACTION_VALUE;
    private long epoch;
    private ByteString nonce;
    private String txId;
    private ByteString payloadVisibility;
    private Instant timestamp;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = DEFAULT_RANDOM;

    private ProposalBuilder(final String channelId, final String chaincodeName) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.chaincodeName = Objects.requireNonNull(chaincodeName, "chaincodeName");
    }

    /** A proposal invoking {@code chaincodeName} on {@code channelId}; set its arguments with {@link #args}. */
    public static ProposalBuilder invoke(final String channelId, final String chaincodeName) {
        return new ProposalBuilder(channelId, chaincodeName);
    }

    /** An LSCC {@code install} of a package (the raw bytes that end up as the installed file), on channel {@code ""}. */
    public static ProposalBuilder install(final ByteString packageBytes) {
        Objects.requireNonNull(packageBytes, "packageBytes");
        return new ProposalBuilder("", LSCC).argBytes(List.of(utf8("install"), packageBytes));
    }

    /** An LSCC {@code install} of a deployment spec. */
    public static ProposalBuilder install(final ChaincodeDeploymentSpec spec) {
        return install(spec.toByteString());
    }

    /** An LSCC {@code deploy} (instantiate) with LSCC's defaults for policy, escc and vscc. */
    public static ProposalBuilder deploy(final String channelId, final ChaincodeDeploymentSpec spec) {
        return deploy(channelId, spec, DeployOptions.defaults());
    }

    /**
     * An LSCC {@code deploy} (instantiate). The spec normally carries no code package (the peer uses its installed
     * one); its {@code input} holds the Init arguments.
     */
    public static ProposalBuilder deploy(final String channelId, final ChaincodeDeploymentSpec spec,
            final DeployOptions options) {
        return lifecycle("deploy", channelId, spec, options);
    }

    /** An LSCC {@code upgrade} with LSCC's defaults for policy, escc and vscc. */
    public static ProposalBuilder upgrade(final String channelId, final ChaincodeDeploymentSpec spec) {
        return upgrade(channelId, spec, DeployOptions.defaults());
    }

    /** An LSCC {@code upgrade}. */
    public static ProposalBuilder upgrade(final String channelId, final ChaincodeDeploymentSpec spec,
            final DeployOptions options) {
        return lifecycle("upgrade", channelId, spec, options);
    }

    private static ProposalBuilder lifecycle(final String function, final String channelId,
            final ChaincodeDeploymentSpec spec, final DeployOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        final List<ByteString> args = new ArrayList<>(List.of(utf8(function), utf8(channelId), spec.toByteString()));
        final List<ByteString> optional = new ArrayList<>(4);
        optional.add(options.endorsementPolicy());
        optional.add(options.escc() == null ? null : utf8(options.escc()));
        optional.add(options.vscc() == null ? null : utf8(options.vscc()));
        optional.add(options.collectionConfig());
        int last = -1;
        for (int i = 0; i < optional.size(); i++) {
            if (optional.get(i) != null) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            args.add(optional.get(i) == null ? ByteString.EMPTY : optional.get(i));
        }
        return new ProposalBuilder(channelId, LSCC).argBytes(args);
    }

    /** Replaces the arguments (function name first) by UTF-8 strings. */
    public ProposalBuilder args(final String... values) {
        final List<ByteString> bytes = new ArrayList<>(values.length);
        for (final String value : values) {
            bytes.add(utf8(Objects.requireNonNull(value, "argument")));
        }
        return argBytes(bytes);
    }

    /** Replaces the arguments (function name first) by raw bytes. */
    public ProposalBuilder argBytes(final List<ByteString> values) {
        args.clear();
        for (final ByteString value : values) {
            args.add(Objects.requireNonNull(value, "argument"));
        }
        return this;
    }

    /** Private inputs that reach the chaincode but not the transaction (Fabric's transient map). */
    public ProposalBuilder transientMap(final Map<String, ByteString> entries) {
        transientMap.clear();
        transientMap.putAll(entries);
        return this;
    }

    /** The chaincode version in the header extension and the invocation spec (default none, as clients send). */
    public ProposalBuilder chaincodeVersion(final String version) {
        this.chaincodeVersion = Objects.requireNonNull(version, "version");
        return this;
    }

    /** The chaincode type of the invocation spec (default {@code GOLANG}, what Fabric's CLI sends for lscc). */
    public ProposalBuilder chaincodeType(final ChaincodeSpec.Type type) {
        this.chaincodeType = Objects.requireNonNull(type, "type");
        return this;
    }

    /** The channel header type (default {@code ENDORSER_TRANSACTION}). */
    public ProposalBuilder headerType(final int type) {
        this.headerType = type;
        return this;
    }

    /** The channel header epoch (default 0, the only value a Fabric 1.4 peer accepts). */
    public ProposalBuilder epoch(final long value) {
        this.epoch = value;
        return this;
    }

    /** A fixed nonce instead of {@value #NONCE_SIZE} fresh random bytes per build. */
    public ProposalBuilder nonce(final ByteString value) {
        this.nonce = Objects.requireNonNull(value, "nonce");
        return this;
    }

    /** A transaction id other than the computed one (a peer rejects it: for testing peers). */
    public ProposalBuilder txId(final String value) {
        this.txId = Objects.requireNonNull(value, "txId");
        return this;
    }

    /**
     * Sets the header extension's {@code payload_visibility} (field 1, removed from later protos): Fabric 1.4 only
     * supports full visibility, signalled by its absence, and rejects any value (for testing peers).
     */
    public ProposalBuilder payloadVisibility(final ByteString value) {
        this.payloadVisibility = Objects.requireNonNull(value, "payloadVisibility");
        return this;
    }

    /** A fixed timestamp instead of the clock's now. */
    public ProposalBuilder timestamp(final Instant value) {
        this.timestamp = Objects.requireNonNull(value, "timestamp");
        return this;
    }

    /** The clock for the header timestamp (default UTC system clock). */
    public ProposalBuilder clock(final Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /** The random source of nonces (default a shared {@link SecureRandom}). */
    public ProposalBuilder random(final SecureRandom value) {
        this.random = Objects.requireNonNull(value, "random");
        return this;
    }

    /**
     * Builds the proposal with {@code creator} as its creator and signs it with the creator's key. Nothing a peer
     * checks is checked here: a proposal with, say, an empty fixed nonce is built and the peer rejects it.
     */
    public ClientProposal build(final SigningIdentity creator) {
        Objects.requireNonNull(creator, "creator");
        final ByteString creatorBytes = creator.serialized();
        final ByteString nonceBytes = nonce != null ? nonce : freshNonce();
        final String id = txId != null ? txId : TxId.compute(nonceBytes, creatorBytes);
        final ChaincodeID chaincodeId = ChaincodeID.newBuilder().setName(chaincodeName).setVersion(chaincodeVersion)
                .build();
        final Instant at = timestamp != null ? timestamp : clock.instant();
        final ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(headerType)
                .setVersion(0)
                .setTimestamp(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                .setChannelId(channelId)
                .setTxId(id)
                .setEpoch(epoch)
                .setExtension(headerExtension(chaincodeId))
                .build();
        final SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(creatorBytes)
                .setNonce(nonceBytes)
                .build();
        final Header header = Header.newBuilder()
                .setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(signatureHeader.toByteString())
                .build();
        final ChaincodeInvocationSpec invocation = ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(chaincodeType)
                        .setChaincodeId(chaincodeId)
                        .setInput(ChaincodeInput.newBuilder().addAllArgs(args)))
                .build();
        final ChaincodeProposalPayload payload = ChaincodeProposalPayload.newBuilder()
                .setInput(invocation.toByteString())
                .putAllTransientMap(transientMap)
                .build();
        final Proposal proposal = Proposal.newBuilder()
                .setHeader(header.toByteString())
                .setPayload(payload.toByteString())
                .build();
        final byte[] proposalBytes = proposal.toByteArray();
        final SignedProposal signed = SignedProposal.newBuilder()
                .setProposalBytes(ByteString.copyFrom(proposalBytes))
                .setSignature(ByteString.copyFrom(creator.sign(proposalBytes)))
                .build();
        return new ClientProposal(signed, proposal, header, channelHeader, signatureHeader, payload, id);
    }

    private ByteString freshNonce() {
        final byte[] bytes = new byte[NONCE_SIZE];
        random.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    /**
     * {@code ChaincodeHeaderExtension{payload_visibility = 1 (only when set), chaincode_id = 2}}, written by hand in
     * field order because the generated class no longer knows field 1.
     */
    private ByteString headerExtension(final ChaincodeID chaincodeId) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            if (payloadVisibility != null) {
                out.writeBytes(1, payloadVisibility);
            }
            out.writeMessage(2, chaincodeId);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }

    private static ByteString utf8(final String value) {
        return ByteString.copyFrom(value, StandardCharsets.UTF_8);
    }
}
