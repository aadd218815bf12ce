package dev.fabricembedded.ledger.state;

import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;

/**
 * The version of a state entry: the (block number, transaction index) that last wrote it (Fabric's
 * {@code version.Height}). Ordered by block, then transaction.
 *
 * @param blockNum number of the block holding the writing transaction
 * @param txNum    index of the writing transaction in that block
 */
public record Height(long blockNum, long txNum) implements Comparable<Height> {

    /** The rwset form of this version. */
    public Version toProto() {
        return Version.newBuilder().setBlockNum(blockNum).setTxNum(txNum).build();
    }

    /** The version a read recorded, or null for a read of an absent key (no version in the rwset). */
    public static Height fromProto(final boolean present, final Version version) {
        return present ? new Height(version.getBlockNum(), version.getTxNum()) : null;
    }

    @Override
    public int compareTo(final Height other) {
        final int byBlock = Long.compareUnsigned(blockNum, other.blockNum);
        return byBlock != 0 ? byBlock : Long.compareUnsigned(txNum, other.txNum);
    }
}
