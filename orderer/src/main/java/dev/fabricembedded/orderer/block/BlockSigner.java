package dev.fabricembedded.orderer.block;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Adds the orderer's metadata to a block as Fabric 1.4.1+ does ({@code multichannel.BlockWriter.commitBlock},
 * fabric-1.4-flow.md §5.4):
 * <ul>
 *   <li>{@code LAST_CONFIG = Metadata{value = LastConfig{index}}};</li>
 *   <li>{@code SIGNATURES = Metadata{value = V, signatures = [MetadataSignature{signature_header, signature}]}} with
 *   {@code V = OrdererBlockMetadata{last_config{index}, consenter_metadata = the ORDERER slot}},
 *   {@code signature_header = SignatureHeader{creator = the orderer's serialized identity, nonce = 24 fresh random
 *   bytes}} and {@code signature = Sign(V ‖ signature_header ‖ header DER)}.</li>
 * </ul>
 * The block's metadata is padded to the five slots of {@code BlockMetadataIndex}; other slots are kept.
 *
 * <p>Thread-safe (the identity signs concurrently, the random source is thread-safe), though an orderer calls it
 * from its channel's ordering thread only.
 */
public final class BlockSigner {

    /** Number of metadata slots in a Fabric block. */
    public static final int METADATA_SLOTS = 5;
    private static final int NONCE_LENGTH = 24;

    private final SigningIdentity identity;
    private final SecureRandom random;

    /** A signer for this identity with its own random source for nonces. */
    public BlockSigner(SigningIdentity identity) {
        this(identity, new SecureRandom());
    }

    /** A signer for this identity with the given random source for nonces. */
    public BlockSigner(SigningIdentity identity, SecureRandom random) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The identity whose signature blocks carry. */
    public SigningIdentity identity() {
        return identity;
    }

    /**
     * Returns the block with LAST_CONFIG and SIGNATURES set.
     *
     * @param block           a block with its header and data final
     * @param lastConfigIndex the number of the channel's latest config block
     */
    public Block sign(Block block, long lastConfigIndex) {
        Objects.requireNonNull(block, "block");
        if (!block.hasHeader()) {
            throw new IllegalArgumentException("cannot sign a block without a header");
        }
        BlockMetadata.Builder metadata = block.hasMetadata() ? block.getMetadata().toBuilder()
                : BlockMetadata.newBuilder();
        while (metadata.getMetadataCount() < METADATA_SLOTS) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        LastConfig lastConfig = LastConfig.newBuilder().setIndex(lastConfigIndex).build();
        metadata.setMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE,
                Metadata.newBuilder().setValue(lastConfig.toByteString()).build().toByteString());

        OrdererBlockMetadata.Builder value = OrdererBlockMetadata.newBuilder().setLastConfig(lastConfig);
        ByteString consenterMetadata = metadata.getMetadata(BlockMetadataIndex.ORDERER_VALUE);
        if (!consenterMetadata.isEmpty()) {
            value.setConsenterMetadata(consenterMetadata);
        }
        byte[] valueBytes = value.build().toByteArray();
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] signatureHeader = SignatureHeader.newBuilder().setCreator(identity.serialized())
                .setNonce(ByteString.copyFrom(nonce)).build().toByteArray();
        byte[] signature = identity.sign(signedBytes(valueBytes, signatureHeader,
                BlockHashes.headerBytes(block.getHeader())));
        metadata.setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, Metadata.newBuilder()
                .setValue(ByteString.copyFrom(valueBytes))
                .addSignatures(MetadataSignature.newBuilder().setSignatureHeader(ByteString.copyFrom(signatureHeader))
                        .setSignature(ByteString.copyFrom(signature)))
                .build().toByteString());
        return block.toBuilder().setMetadata(metadata).build();
    }

    /** {@code value ‖ signature_header ‖ header bytes}: what a block signature signs. */
    static byte[] signedBytes(byte[] value, byte[] signatureHeader, byte[] headerBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + signatureHeader.length
                + headerBytes.length);
        out.writeBytes(value);
        out.writeBytes(signatureHeader);
        out.writeBytes(headerBytes);
        return out.toByteArray();
    }
}
