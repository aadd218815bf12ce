package dev.fabricembedded.orderer.channelconfig;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.crypto.Sha256;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Builds a channel's genesis block as Fabric's {@code common/genesis} factory does: block 0 with no previous hash,
 * holding one unsigned {@code CONFIG} envelope whose payload carries {@code ConfigEnvelope{config = Config{sequence
 * 0, channel_group}}}; the payload header has a channel header (type CONFIG, version 1, epoch 0, the channel id, a
 * timestamp in whole seconds and {@code tx_id = hex(H(nonce ‖ creator))}) and a signature header with no creator and
 * a fresh 24-byte nonce. The block's metadata has the five slots of {@code BlockMetadataIndex}, with
 * {@code LAST_CONFIG = Metadata{value = LastConfig{index 0}}} and the others empty (a genesis block is not signed).
 *
 * <p>Stateless.
 */
public final class GenesisBlockFactory {

    /** Length of Fabric's nonces. */
    public static final int NONCE_LENGTH = 24;
    /** Number of metadata slots in a Fabric block (SIGNATURES .. COMMIT_HASH). */
    public static final int METADATA_SLOTS = 5;
    private static final int MESSAGE_VERSION = 1;

    private GenesisBlockFactory() {
    }

    /** The genesis block of a channel with this configuration tree, stamped with the system clock. */
    public static Block create(String channelId, ConfigGroup channelGroup) {
        return create(channelId, channelGroup, Clock.systemUTC(), new SecureRandom());
    }

    /** The genesis block, with the given clock (timestamp) and random source (nonce). */
    public static Block create(String channelId, ConfigGroup channelGroup, Clock clock, SecureRandom random) {
        ChannelProfile.checkChannelId(channelId);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setNonce(ByteString.copyFrom(nonce)).build();
        // creator is empty: txid = hex(H(nonce || creator))
        String txId = HexFormat.of().formatHex(Sha256.digest(nonce));
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setVersion(MESSAGE_VERSION)
                .setTimestamp(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()))
                .setChannelId(channelId)
                .setTxId(txId)
                .setEpoch(0)
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(ConfigEnvelope.newBuilder().setConfig(Config.newBuilder().setSequence(0)
                        .setChannelGroup(channelGroup)).build().toByteString())
                .build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        BlockData data = BlockData.newBuilder().addData(envelope.toByteString()).build();
        BlockHeader header = BlockHeader.newBuilder().setNumber(0).setDataHash(ByteString.copyFrom(
                BlockHashes.dataHash(data))).build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < METADATA_SLOTS; i++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE, Metadata.newBuilder()
                .setValue(LastConfig.newBuilder().setIndex(0).build().toByteString()).build().toByteString());
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }
}
