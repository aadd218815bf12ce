package dev.fabricembedded.ledger.block;

import dev.fabricembedded.ledger.BlockRejectedException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A block with a header and data whose {@code data_hash} has been checked against its data. Appending one to a
 * {@link FileBlockStore} checks only its place in the chain (number and previous hash), not the hash over its data
 * again: that hash (SHA-256 over the whole block, ~0.3 ms for the ~350 KB of 100 endorsed transactions) would
 * otherwise be computed twice per commit on the committing thread, once by the ledger and once by the store.
 *
 * <p>Only {@link #of} creates one, so holding a {@code HashCheckedBlock} is the proof of the check; {@link
 * #withMetadata} keeps header and data (the checked part) and replaces the metadata, which the hash does not cover
 * (the validator's {@code TRANSACTIONS_FILTER}). Immutable, so it may be checked on one thread and appended on another.
 */
public final class HashCheckedBlock {
    private final Block block;

    private HashCheckedBlock(final Block block) {
        this.block = block;
    }

    /**
     * Checks that the block has a header and data and that the header's {@code data_hash} is the hash of the data.
     *
     * @throws BlockRejectedException {@code MALFORMED} without header or data, {@code WRONG_DATA_HASH} on a mismatch
     */
    public static HashCheckedBlock of(final Block block) {
        final long number = block.hasHeader() ? block.getHeader().getNumber() : -1;
        if (!block.hasHeader() || !block.hasData()) {
            throw new BlockRejectedException(BlockRejectedException.Reason.MALFORMED, number,
                    "block " + number + " has no " + (block.hasHeader() ? "data" : "header"));
        }
        final byte[] dataHash = BlockHashes.dataHash(block.getData());
        if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
            throw new BlockRejectedException(BlockRejectedException.Reason.WRONG_DATA_HASH, number,
                    "block " + number + " data hash mismatch: header says ["
                            + HexFormat.of().formatHex(block.getHeader().getDataHash().toByteArray())
                            + "], data hashes to [" + HexFormat.of().formatHex(dataHash) + "]");
        }
        return new HashCheckedBlock(block);
    }

    /** The same header and data with other metadata (not covered by the data hash). */
    public HashCheckedBlock withMetadata(final BlockMetadata metadata) {
        return new HashCheckedBlock(block.toBuilder().setMetadata(metadata).build());
    }

    public Block block() {
        return block;
    }

    /** The block's number. */
    public long number() {
        return block.getHeader().getNumber();
    }
}
