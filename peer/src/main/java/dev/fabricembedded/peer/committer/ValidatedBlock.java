package dev.fabricembedded.peer.committer;

import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A block after {@link TxValidator#validate}: the same block whose metadata is padded to Fabric's five slots with
 * {@code TRANSACTIONS_FILTER} holding one code byte per transaction (raw bytes, not a {@code Metadata} message), and
 * the verdict on each transaction. This is what {@code ChannelLedger.commit} takes: it keeps the invalid codes and
 * applies MVCC to the valid ones (§6.8).
 *
 * @param block        the block with its filter
 * @param transactions one verdict per transaction, in block order
 */
public record ValidatedBlock(Block block, List<ValidatedTransaction> transactions) {

    public ValidatedBlock {
        Objects.requireNonNull(block, "block");
        transactions = List.copyOf(transactions);
    }

    /** The block number. */
    public long number() {
        return block.getHeader().getNumber();
    }

    /** Number of transactions still {@code VALID} (before MVCC). */
    public long validCount() {
        return transactions.stream().filter(ValidatedTransaction::isValid).count();
    }
}
