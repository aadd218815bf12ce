package dev.fabricembedded.ledger.testing;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockHashes;
import org.hyperledger.fabric.protos.common.Block;

import java.util.List;

/** Produces consecutive blocks (numbers and previous hashes), like an orderer. */
public final class Chain {
    private long next;
    private byte[] lastHash = new byte[0];

    public Chain() {
    }

    /** A chain continuing after a block. */
    public Chain(final long nextNumber, final byte[] lastHash) {
        this.next = nextNumber;
        this.lastHash = lastHash.clone();
    }

    public Block next(final List<ByteString> envelopes) {
        return remember(TestBlocks.block(next, lastHash, envelopes));
    }

    public Block next(final List<ByteString> envelopes, final byte[] filter) {
        return remember(TestBlocks.block(next, lastHash, envelopes, filter));
    }

    private Block remember(final Block block) {
        next++;
        lastHash = BlockHashes.headerHash(block.getHeader());
        return block;
    }

    public long nextNumber() {
        return next;
    }
}
