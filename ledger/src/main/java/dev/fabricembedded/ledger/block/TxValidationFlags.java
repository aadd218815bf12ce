package dev.fabricembedded.ledger.block;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.Arrays;

/**
 * A block's {@code TRANSACTIONS_FILTER}: one byte per transaction holding its {@link TxValidationCode}
 * (Fabric's {@code util.TxValidationFlags}, fabric-1.4-flow.md §6.7). Immutable.
 *
 * <p>The metadata slot holds the raw bytes, not a serialized {@code Metadata} message, exactly as Fabric stores
 * it. A filter may be shorter than the block (or absent); {@link #flag} reports {@code NOT_VALIDATED} for the
 * missing entries so callers can decide what that means.
 */
public final class TxValidationFlags {
    private final byte[] flags;

    private TxValidationFlags(final byte[] flags) {
        this.flags = flags;
    }

    /** Flags from raw bytes (copied). */
    public static TxValidationFlags of(final byte[] flags) {
        return new TxValidationFlags(flags.clone());
    }

    /** A filter of {@code count} transactions all set to {@code code}. */
    public static TxValidationFlags filled(final int count, final TxValidationCode code) {
        final byte[] flags = new byte[count];
        Arrays.fill(flags, (byte) code.getNumber());
        return new TxValidationFlags(flags);
    }

    /** The flags stored in a block's {@code TRANSACTIONS_FILTER} metadata slot (empty if there is none). */
    public static TxValidationFlags fromBlock(final Block block) {
        final int slot = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
        if (!block.hasMetadata() || block.getMetadata().getMetadataCount() <= slot) {
            return new TxValidationFlags(new byte[0]);
        }
        return new TxValidationFlags(block.getMetadata().getMetadata(slot).toByteArray());
    }

    /** Number of entries in the filter (may be less than the block's transaction count). */
    public int size() {
        return flags.length;
    }

    /** The raw flag of transaction {@code index}, {@code NOT_VALIDATED} (254) beyond the end of the filter. */
    public int flag(final int index) {
        return index < flags.length ? flags[index] & 0xFF : TxValidationCode.NOT_VALIDATED_VALUE;
    }

    /** The code of transaction {@code index}; {@code UNRECOGNIZED} for a byte that is no known code. */
    public TxValidationCode code(final int index) {
        final TxValidationCode code = TxValidationCode.forNumber(flag(index));
        return code == null ? TxValidationCode.UNRECOGNIZED : code;
    }

    /** True if transaction {@code index} is marked {@code VALID}. */
    public boolean isValid(final int index) {
        return flag(index) == TxValidationCode.VALID_VALUE;
    }

    /** Number of transactions marked {@code VALID}. */
    public int validCount() {
        int count = 0;
        for (byte flag : flags) {
            if (flag == TxValidationCode.VALID_VALUE) {
                count++;
            }
        }
        return count;
    }

    /** A copy of the raw bytes. */
    public byte[] toByteArray() {
        return flags.clone();
    }

    /** The raw bytes, as stored in the metadata slot. */
    public ByteString toByteString() {
        return ByteString.copyFrom(flags);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof TxValidationFlags that && Arrays.equals(flags, that.flags);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(flags);
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < flags.length; i++) {
            text.append(i == 0 ? "" : ", ").append(code(i));
        }
        return text.append(']').toString();
    }
}
