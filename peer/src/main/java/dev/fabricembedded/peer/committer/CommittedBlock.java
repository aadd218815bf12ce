package dev.fabricembedded.peer.committer;

import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A block as the committer stored it, with the outcome of each of its transactions.
 *
 * @param block        the block as stored: its {@code TRANSACTIONS_FILTER} metadata carries the final codes
 * @param transactions one entry per transaction, in block order
 */
public record CommittedBlock(Block block, List<CommittedTransaction> transactions) {

    public CommittedBlock {
        Objects.requireNonNull(block, "block");
        transactions = List.copyOf(transactions);
        if (transactions.size() != block.getData().getDataCount()) {
            throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " holds "
                    + block.getData().getDataCount() + " transactions, " + transactions.size() + " outcomes given");
        }
    }

    /** The block number. */
    public long number() {
        return block.getHeader().getNumber();
    }
}
