package dev.fabricembedded.orderer.block;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.ledger.block.BlockStore;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;

import java.util.List;
import java.util.Objects;

/**
 * Extends a channel's chain (Fabric's {@code multichannel.BlockWriter}, fabric-1.4-flow.md §5.4): builds the next
 * block from a batch ({@code number = previous + 1}, {@code previous_hash = H(DER(previous header))},
 * {@code data[i] = marshal(envelope_i)}, {@code data_hash = H(data[0] ‖ data[1] ‖ ...)}), signs it with
 * {@link BlockSigner} and appends it to the {@link BlockStore}, which returns once the block is synced to disk.
 *
 * <p>The chain must hold at least its genesis block. The last config index is read from the last block's
 * {@code LAST_CONFIG} metadata when the writer is created, so a restarted orderer keeps pointing at the right
 * config block (always 0 here: this orderer does not process configuration updates).
 *
 * <p>Thread ownership: one writing thread per chain (the channel's ordering thread); not thread-safe.
 */
public final class BlockWriter {

    private final BlockStore store;
    private final BlockSigner signer;
    private Block lastBlock;
    private long lastConfigIndex;

    /**
     * A writer continuing the chain in {@code store}.
     *
     * @throws IllegalStateException when the store is empty (a chain starts with its genesis block)
     */
    public BlockWriter(BlockStore store, BlockSigner signer) {
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
        long height = store.height();
        if (height == 0) {
            throw new IllegalStateException("the chain has no genesis block");
        }
        this.lastBlock = store.blockByNumber(height - 1)
                .orElseThrow(() -> new IllegalStateException("block " + (height - 1) + " is missing from the store"));
        this.lastConfigIndex = lastConfigIndex(lastBlock);
    }

    /**
     * The last config index a block's metadata records ({@code LAST_CONFIG}); 0 for a genesis block.
     *
     * @throws IllegalArgumentException when a non-genesis block has no readable LAST_CONFIG metadata
     */
    public static long lastConfigIndex(Block block) {
        long number = block.getHeader().getNumber();
        if (number == 0) {
            return 0;
        }
        int slot = BlockMetadataIndex.LAST_CONFIG_VALUE;
        if (!block.hasMetadata() || block.getMetadata().getMetadataCount() <= slot) {
            throw new IllegalArgumentException("block " + number + " has no LAST_CONFIG metadata");
        }
        try {
            Metadata metadata = Metadata.parseFrom(block.getMetadata().getMetadata(slot));
            return LastConfig.parseFrom(metadata.getValue()).getIndex();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("could not retrieve last config index from block " + number + ": "
                    + e.getMessage(), e);
        }
    }

    /** The next block holding this batch, unsigned: header, data and five empty metadata slots. */
    public Block createNextBlock(List<Envelope> batch) {
        Objects.requireNonNull(batch, "batch");
        BlockData.Builder data = BlockData.newBuilder();
        for (Envelope envelope : batch) {
            data.addData(envelope.toByteString());
        }
        BlockData built = data.build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(lastBlock.getHeader().getNumber() + 1)
                .setPreviousHash(ByteString.copyFrom(BlockHashes.blockHash(lastBlock)))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(built)))
                .build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < BlockSigner.METADATA_SLOTS; i++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        return Block.newBuilder().setHeader(header).setData(built).setMetadata(metadata).build();
    }

    /**
     * Signs a block made by {@link #createNextBlock(List)} and appends it; returns the stored block once it is on
     * disk.
     *
     * @throws dev.fabricembedded.ledger.BlockRejectedException when it does not extend the chain
     * @throws dev.fabricembedded.ledger.LedgerException when the store cannot write it (nothing is appended)
     */
    public Block writeBlock(Block block) {
        Block signed = signer.sign(block, lastConfigIndex);
        store.append(signed);
        lastBlock = signed;
        return signed;
    }

    /** {@link #createNextBlock(List)} then {@link #writeBlock(Block)}. */
    public Block write(List<Envelope> batch) {
        return writeBlock(createNextBlock(batch));
    }

    /** The chain's last block. */
    public Block lastBlock() {
        return lastBlock;
    }

    /** The number of the chain's latest config block. */
    public long lastConfigIndex() {
        return lastConfigIndex;
    }

    /** Number of blocks in the chain. */
    public long height() {
        return lastBlock.getHeader().getNumber() + 1;
    }
}
